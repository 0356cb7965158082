import type { JwsAlgorithm } from '@clavis/crypto'

const ALLOWED: readonly string[] = ['ES256K', 'ES256']

/** Whether an `alg` header value is on the allow-list (ES256K, ES256): never `none`, never symmetric. */
export function isAllowedAlgorithm(alg: unknown): alg is JwsAlgorithm {
  return typeof alg === 'string' && ALLOWED.includes(alg)
}
