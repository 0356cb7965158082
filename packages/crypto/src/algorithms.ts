/**
 * The JWS algorithms Clavis signs and verifies with. Everything else (`none`, symmetric `HS*`,
 * `RS*`, `EdDSA`, `ES256K-R`, …) is refused with `unsupported_algorithm`.
 *
 * @example
 * ALLOWED_JWS_ALGORITHMS.includes('ES256K') // true
 */
export const ALLOWED_JWS_ALGORITHMS = ['ES256K', 'ES256'] as const

/** One of {@link ALLOWED_JWS_ALGORITHMS}. */
export type JwsAlgorithm = (typeof ALLOWED_JWS_ALGORITHMS)[number]

/**
 * Whether `alg` is an allowed JWS algorithm (exact, case-sensitive match).
 *
 * @example
 * isAllowedJwsAlgorithm('es256k') // false
 */
export function isAllowedJwsAlgorithm(alg: unknown): alg is JwsAlgorithm {
  return typeof alg === 'string' && (ALLOWED_JWS_ALGORITHMS as readonly string[]).includes(alg)
}
