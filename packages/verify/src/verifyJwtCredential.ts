import type { Resolvable } from 'did-resolver'
import { checkIssuerTrust } from './checkIssuerTrust'
import { checkSchema } from './checkSchema'
import { checkSignature } from './checkSignature'
import { checkSignerIsIssuer } from './checkSignerIsIssuer'
import { checkStatusOfAccepted } from './checkStatusOfAccepted'
import { checkValidityPeriod } from './checkValidityPeriod'
import { credentialTypeOf } from './credentialType'
import { decodeJwtCredential } from './decodeJwtCredential'
import type { StatusChecker } from './statusChecker'
import type { TrustPolicy } from './trustListPolicy'
import type { CheckName, CheckResult, VerificationResult } from './types'

/** Clock skew allowed when `clockSkewSeconds` is not given. */
export const DEFAULT_CLOCK_SKEW_SECONDS = 30
/** Largest clock skew that may be configured. */
export const MAX_CLOCK_SKEW_SECONDS = 60

/** Options for {@link verifyJwtCredential}. */
export interface VerifyJwtCredentialParameters {
  /** The compact JWT-VC. Anything else, of any type, is reported as `malformed`. */
  jwt: string
  /** Resolves the issuer DID; its current document must contain the signing key. */
  resolver: Resolvable
  /** Decides which issuers are trusted for which credential types. */
  trust: TrustPolicy
  /** The time to verify at; defaults to the current time. */
  now?: Date
  /** Allowed clock skew in seconds, 0 to 60; defaults to 30. */
  clockSkewSeconds?: number
  /**
   * Checks the credential's status entries, only once its signature verified and its issuer is
   * trusted (nothing is fetched for an untrusted credential). Without it the status check fails
   * (`not_checked`): verification fails closed.
   */
  status?: StatusChecker
}

/** What {@link verifyJwtCredential} resolves to. */
export type VerifyJwtCredentialReturnType = VerificationResult

/** What {@link verifyJwtCredential} throws: only for programmer errors in the options, never for the JWT. */
export type VerifyJwtCredentialErrorType = RangeError | TypeError

const notChecked = (reason: string): CheckResult => ({ passed: false, code: 'not_checked', reason })

function assertOptions(options: VerifyJwtCredentialParameters): { now: Date; clockSkewSeconds: number } {
  if (typeof options?.resolver?.resolve !== 'function') {
    throw new TypeError('verifyJwtCredential: `resolver` must be a did-resolver Resolvable.')
  }
  if (typeof options.trust?.isTrusted !== 'function') {
    throw new TypeError('verifyJwtCredential: `trust` must be a TrustPolicy (see trustListPolicy).')
  }
  const now = options.now ?? new Date()
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new RangeError('verifyJwtCredential: `now` must be a valid Date.')
  }
  const clockSkewSeconds = options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS
  if (
    typeof clockSkewSeconds !== 'number' ||
    !Number.isFinite(clockSkewSeconds) ||
    clockSkewSeconds < 0 ||
    clockSkewSeconds > MAX_CLOCK_SKEW_SECONDS
  ) {
    throw new RangeError(
      `verifyJwtCredential: \`clockSkewSeconds\` must be between 0 and ${MAX_CLOCK_SKEW_SECONDS}; got ${String(clockSkewSeconds)}.`,
    )
  }
  return { now, clockSkewSeconds }
}

/**
 * Verifies a JWT-encoded verifiable credential and returns the verification envelope. Fails
 * closed: `valid` is true only if every check passed, and bad input never throws — it gives a
 * failed check with a stable code and a reason. The signature is checked first against the
 * issuer's current DID document; the claim-based checks are still evaluated on the decoded payload
 * so the envelope says everything that is wrong. If the JWT cannot be decoded at all, the
 * `signature` check carries the reason and the others are `not_checked`.
 *
 * Throws `TypeError`/`RangeError` only for programmer errors: a missing resolver or trust policy,
 * an invalid `now`, or `clockSkewSeconds` outside 0–60.
 *
 * @example
 * const result = await verifyJwtCredential({
 *   jwt,
 *   resolver: new Resolver(getResolver({ networks })),
 *   trust: trustListPolicy([{ issuer: boardDid, types: ['ClinicianLicenseCredential'] }]),
 * })
 * if (!result.valid) console.log(result.checks)
 */
export async function verifyJwtCredential(
  options: VerifyJwtCredentialParameters,
): Promise<VerifyJwtCredentialReturnType> {
  const { now, clockSkewSeconds } = assertOptions(options)
  const { jwt, resolver, trust } = options

  const decodedResult = decodeJwtCredential({ jwt })
  if (!decodedResult.ok) {
    const reason = 'Not checked: the JWT could not be decoded (see the signature check).'
    return {
      valid: false,
      format: 'jwt_vc',
      checks: {
        signature: decodedResult.failure,
        signerIsIssuer: notChecked(reason),
        issuerTrust: notChecked(reason),
        validityPeriod: notChecked(reason),
        status: notChecked(reason),
        schema: notChecked(reason),
      },
    }
  }
  const { decoded } = decodedResult
  const { payload } = decoded
  const type = credentialTypeOf(payload)

  const signature = await checkSignature({ jwt, decoded, resolver })
  const validity = checkValidityPeriod({ payload, type, now, clockSkewSeconds })
  const signerIsIssuer = checkSignerIsIssuer({ decoded })
  const issuerTrust = checkIssuerTrust({ issuer: payload.iss, type, trust })
  const checks: Record<CheckName, CheckResult> = {
    signature: signature.passed ? { passed: true } : signature,
    signerIsIssuer,
    issuerTrust,
    validityPeriod: validity.result,
    status: await checkStatusOfAccepted({
      accepted: signature.passed && signerIsIssuer.passed && issuerTrust.passed,
      status: options.status,
      check: (status) =>
        status.checkBitstring({ issuer: payload.iss, credentialStatus: payload.vc.credentialStatus, now }),
    }),
    schema: checkSchema({ jwt, type }),
  }

  const vc = payload.vc
  const subjectId = (vc.credentialSubject as { id?: unknown } | undefined)?.id
  const subject = payload.sub ?? (typeof subjectId === 'string' ? subjectId : undefined)
  const id = payload.jti ?? (typeof vc.id === 'string' ? vc.id : undefined)

  return {
    valid: Object.values(checks).every((check) => check.passed),
    format: 'jwt_vc',
    checks,
    issuer: payload.iss,
    ...(subject !== undefined ? { subject } : {}),
    ...(type !== undefined ? { type } : {}),
    ...(id !== undefined ? { id } : {}),
    ...(validity.validFrom !== undefined ? { validFrom: validity.validFrom } : {}),
    ...(validity.validUntil !== undefined ? { validUntil: validity.validUntil } : {}),
    ...(signature.passed ? { signer: { kid: signature.kid } } : {}),
  }
}
