import { checkHolderBinding } from './checkHolderBinding'
import { checkNonceAudience } from './checkNonceAudience'
import type { NonceStore } from './nonceStore'
import { openJwtPresentation } from './openJwtPresentation'
import { openSdJwtPresentation } from './openSdJwtPresentation'
import { detectPresentationFormat } from './presentationFormat'
import { reportChecks } from './reportChecks'
import type { StatusChecker } from './statusChecker'
import type { PresentationExpectation, PresentationFormat, PresentationVerificationResult } from './types'
import { checkVerifierOptions, type VerifierOptions } from './verifierOptions'

/** Options of {@link verifyPresentation}. */
export interface VerifyPresentationParameters extends VerifierOptions {
  /** The presentation as received: a compact JWT VP (VC 1.1 or a VC 2.0 `vp+jwt`), or an SD-JWT VC with its KB-JWT. */
  presentation: string
  /** Its format, when the caller knows it; otherwise detected (`~` means SD-JWT VC, `typ: vp+jwt` a VC 2.0 VP). */
  format?: PresentationFormat
  /** Checks each credential's status, only for credentials accepted on everything else. */
  status: StatusChecker
  /** The verifier's single-use nonces. */
  nonces: NonceStore
  /** The nonce and audience of the verifier's request. */
  expect: PresentationExpectation
}

/** What {@link verifyPresentation} throws: only for programmer errors in the options, never for the presentation. */
export type VerifyPresentationErrorType = RangeError | TypeError

/**
 * Verifies a presentation made for the verifier's request, in either format, and returns one
 * envelope. The format's reader checks what only it can (JWT VP: the holder's signature by an
 * `authentication` key and every JWT-VC inside; SD-JWT VC: the issuer's signature, the
 * disclosures, the credential, and the KB-JWT by `cnf.jwk`); then, the same for both, the holder
 * binding (every credential is the presenter's) and the request (exact audience, the request's
 * nonce, freshness, and the nonce used up — only once the holder's signature verified). Every
 * check is reported; one that could not run says why (`not_checked`). `valid` only if every
 * presentation check passed and every credential is valid. Status lists are fetched only for
 * credentials accepted on everything else. Never throws for bad input.
 *
 * @example
 * const result = await verifyPresentation({ presentation, resolver, trust, status, nonces, expect: { nonce, audience } })
 * if (result.valid) result.disclosed?.birthDate
 */
export async function verifyPresentation(
  options: VerifyPresentationParameters,
): Promise<PresentationVerificationResult> {
  const { now, skew } = checkVerifierOptions('verifyPresentation', options)
  const { presentation, resolver, trust, status } = options
  const format = options.format ?? detectPresentationFormat(presentation)
  const parts =
    format === 'dc+sd-jwt'
      ? await openSdJwtPresentation({ presentation, resolver, trust, status, now, skew })
      : await openJwtPresentation({ jwt: presentation, format, resolver, trust, status, now, skew })
  const holderBinding = await checkHolderBinding({
    presenter: parts.presenter,
    namedHolders: parts.namedHolders,
    subjects: parts.credentials.map((credential) => credential.subject),
    resolver,
  })
  // Last: the nonce is used up only when everything before it could be decided.
  const nonceAudience = await checkNonceAudience({
    request: parts.request,
    requireExpiry: parts.requireExpiry,
    proven: parts.signature.ok,
    expect: options.expect,
    nonces: options.nonces,
    now,
    skew,
  })
  const { valid, checks } = reportChecks({ signature: parts.signature, holderBinding, nonceAudience })
  const { credentials } = parts
  return {
    valid: valid && credentials.length > 0 && credentials.every((credential) => credential.valid),
    format,
    ...(parts.holder !== undefined ? { holder: parts.holder } : {}),
    checks,
    credentials,
    ...(parts.disclosed !== undefined ? { disclosed: parts.disclosed } : {}),
  }
}
