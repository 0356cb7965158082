export { createEthrResolver, type EthrNetwork } from './create-resolver'
export { type DidEthr, parseDidEthr } from './parse-did-ethr'
