export {
  type CachedResolver,
  type CachedResolverOptions,
  type CachedResolverStats,
  createCachedResolver,
  type RegistryChangeFeed,
} from './cached-resolver'
export { createEthrResolver, type EthrNetwork } from './create-resolver'
export { createDidEthrKey, type DidEthrKey } from './did-ethr-key'
export { type DidEthr, parseDidEthr } from './parse-did-ethr'
