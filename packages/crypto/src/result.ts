/** Why a check failed: a stable code to branch on and a sentence saying what is wrong. */
export interface Failure<Code extends string = string> {
  code: Code
  reason: string
}

/**
 * The outcome of every fallible check in `packages/`: the value, or the error saying why not.
 * Checks return it for bad input; they throw only for programmer or configuration errors.
 *
 * @example
 * const decoded = decodeJwt({ jwt, maxLength: MAX_JWT_LENGTH })
 * if (!decoded.ok) return decoded // { ok: false, error: { code: 'malformed', reason: '…' } }
 * decoded.value.payload.iss
 */
export type Result<T = undefined, E = Failure> = { ok: true; value: T } | { ok: false; error: E }

/**
 * A successful {@link Result}.
 *
 * @example
 * return ok({ staleAt }) // { ok: true, value: { staleAt } }
 */
export function ok(): { ok: true; value: undefined }
export function ok<T>(value: T): { ok: true; value: T }
export function ok<T>(value?: T): { ok: true; value: T | undefined } {
  return { ok: true, value }
}

/**
 * A failed {@link Result} with a {@link Failure}.
 *
 * @example
 * return fail('expired', 'The status list has expired.')
 */
export function fail<Code extends string>(code: Code, reason: string): { ok: false; error: Failure<Code> } {
  return { ok: false, error: { code, reason } }
}
