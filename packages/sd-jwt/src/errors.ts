import type { ClaimIssue } from '@clavis/credentials'
import { ClavisError } from '@clavis/errors'
import type { SdJwtFailureCode } from './types'

/**
 * Stable codes of {@link SdJwtError}. Issue/present codes, plus the verification failure codes that
 * {@link decodeSdJwtVc} may throw.
 */
export type SdJwtErrorCode =
  | 'invalid_claims'
  | 'not_disclosable'
  | 'unknown_claim'
  | 'invalid_options'
  | SdJwtFailureCode

/**
 * The one error class of `@clavis/sd-jwt`. Thrown by issue, present and decode (never by
 * `verifySdJwtVc`, which returns a result). `issues` names each bad field for `invalid_claims`.
 *
 * @example
 * try { await issueSdJwtVc(options) } catch (e) {
 *   if (e instanceof SdJwtError && e.code === 'invalid_claims') return e.issues
 * }
 */
export class SdJwtError extends ClavisError<SdJwtErrorCode> {
  override readonly name = 'SdJwtError'
  override readonly issues: ClaimIssue[]

  constructor(
    code: SdJwtErrorCode,
    message: string,
    options: { issues?: ClaimIssue[]; cause?: unknown } = {},
  ) {
    super({ code, message, issues: options.issues, cause: options.cause })
    this.issues = options.issues ?? []
  }
}
