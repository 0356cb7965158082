import { ClavisError } from '@clavis/errors'

/**
 * Stable codes of {@link HolderError}:
 * - `offer_invalid`: the offer, its issuer's metadata or what it offers cannot be used;
 * - `issuer_refused`: the issuer answered with an OAuth error (its code is in the message and `oauthError`);
 * - `credential_rejected`: what the issuer sent failed the wallet's checks and was not kept;
 * - `request_invalid`: a presentation request that does not verify (signature, verifier DID, shape);
 * - `no_matching_credential`: the wallet holds nothing that answers a required part of the request;
 * - `verifier_refused`: the verifier refused the response.
 */
export type HolderErrorCode =
  | 'offer_invalid'
  | 'issuer_refused'
  | 'credential_rejected'
  | 'request_invalid'
  | 'no_matching_credential'
  | 'verifier_refused'

/** The one error class of `@clavis/holder`; `oauthError` is the other party's OAuth code, when it sent one. */
export class HolderError extends ClavisError<HolderErrorCode> {
  override readonly name = 'HolderError'
  readonly oauthError: string | undefined

  constructor(
    code: HolderErrorCode,
    message: string,
    options: { cause?: unknown; oauthError?: string } = {},
  ) {
    super({ code, message, cause: options.cause })
    this.oauthError = options.oauthError
  }
}
