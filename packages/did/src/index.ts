export {
  type CachedResolver,
  type CachedResolverOptions,
  type CachedResolverStats,
  createCachedResolver,
  type RegistryChangeFeed,
} from './cached-resolver'
export { createDidResolver, createEthrResolver, type EthrNetwork } from './create-resolver'
export { createDidEthrKey, type DidEthrKey } from './did-ethr-key'
export { createDidJwkResolver, didJwkOf, didJwkResolver, jwkOfDidJwk } from './did-jwk'
export { type DidEthr, parseDidEthr } from './parse-did-ethr'
export { publicJwkOfDid } from './public-jwk-of-did'
