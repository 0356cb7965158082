/**
 * The JWS algorithms a credential may be signed with. Everything else (`none`, symmetric `HS*`,
 * `RS*`, `EdDSA`, `ES256K-R`, …) is refused with `unsupported_algorithm`.
 *
 * @example
 * ALLOWED_JWS_ALGORITHMS.includes('ES256K') // true
 */
export const ALLOWED_JWS_ALGORITHMS = ['ES256K', 'ES256'] as const

/** One of {@link ALLOWED_JWS_ALGORITHMS}. */
export type AllowedJwsAlgorithm = (typeof ALLOWED_JWS_ALGORITHMS)[number]

/** Whether `alg` is an allowed JWS algorithm (exact, case-sensitive match). */
export function isAllowedJwsAlgorithm(alg: unknown): alg is AllowedJwsAlgorithm {
  return typeof alg === 'string' && (ALLOWED_JWS_ALGORITHMS as readonly string[]).includes(alg)
}
