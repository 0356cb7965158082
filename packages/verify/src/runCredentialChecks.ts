import type { CredentialType } from '@clavis/credentials'
import { checkIssuerTrust } from './checkIssuerTrust'
import { type CheckSignerIsIssuerParameters, checkSignerIsIssuer } from './checkSignerIsIssuer'
import { checkStatusOfAccepted } from './checkStatusOfAccepted'
import {
  checkValidityPeriod,
  readValidityWindow,
  type ValidityClaims,
  windowDates,
} from './checkValidityPeriod'
import { notChecked, reportChecks } from './reportChecks'
import type { StatusChecker } from './statusChecker'
import type { TrustPolicy } from './trustListPolicy'
import type { CheckOutcome, VerificationFailure, VerificationResult } from './types'

/** What the shared credential checks read from a decoded credential, whatever its format. */
export interface CredentialFacts extends CheckSignerIsIssuerParameters {
  subject?: string | undefined
  id?: string | undefined
  type?: CredentialType | undefined
  validity: ValidityClaims
}

/** Options of {@link runCredentialChecks}. */
export interface RunCredentialChecksParameters {
  format: VerificationResult['format']
  facts: CredentialFacts
  /** The format's own checks, already run: the issuer's signature (SD-JWT: and disclosures) and the schema. */
  signature: CheckOutcome<{ kid: string }>
  schema: CheckOutcome
  /** The format's status check; run only for an accepted credential. */
  checkStatus: (status: StatusChecker) => Promise<CheckOutcome>
  trust: TrustPolicy
  status: StatusChecker | undefined
  now: Date
  skew: number
}

/**
 * The checks every credential gets, whatever its format, on its {@link CredentialFacts}: signer is
 * issuer, issuer trust, validity period, then status (only for a credential accepted on all of
 * these and its signature) — and the envelope with every check. Never throws unless the status
 * checker does.
 *
 * @example
 * return runCredentialChecks({ format: 'jwt_vc', facts, signature, schema, checkStatus, trust, status, now, skew })
 */
export async function runCredentialChecks(
  options: RunCredentialChecksParameters,
): Promise<VerificationResult> {
  const { facts, signature, now, skew } = options
  const { issuer, type } = facts
  const window = readValidityWindow(facts.validity)
  const validityPeriod = window.ok
    ? checkValidityPeriod({ window: window.value, type, now, clockSkewSeconds: skew })
    : window
  const signerIsIssuer = checkSignerIsIssuer(facts)
  const issuerTrust = checkIssuerTrust({ issuer, type, trust: options.trust })
  const status = await checkStatusOfAccepted({
    accepted: signature.ok && signerIsIssuer.ok && issuerTrust.ok,
    status: options.status,
    check: options.checkStatus,
  })
  const { valid, checks } = reportChecks({
    signature,
    signerIsIssuer,
    issuerTrust,
    validityPeriod,
    status,
    schema: options.schema,
  })
  return {
    valid,
    format: options.format,
    checks,
    issuer,
    ...(facts.subject !== undefined ? { subject: facts.subject } : {}),
    ...(type !== undefined ? { type } : {}),
    ...(facts.id !== undefined ? { id: facts.id } : {}),
    ...(window.ok ? windowDates(window.value) : {}),
    ...(signature.ok ? { signer: { kid: signature.value.kid } } : {}),
  }
}

/**
 * The envelope of a credential that could not be decoded: the failure on `signature`, every other
 * check `not_checked`.
 *
 * @example
 * if (!decoded.ok) return undecodedCredential('jwt_vc', decoded.error)
 */
export function undecodedCredential(
  format: VerificationResult['format'],
  failure: VerificationFailure,
): VerificationResult {
  const skipped = notChecked('Not checked: the credential could not be decoded (see the signature check).')
  const { checks } = reportChecks({
    signature: { ok: false, error: failure },
    signerIsIssuer: skipped,
    issuerTrust: skipped,
    validityPeriod: skipped,
    status: skipped,
    schema: skipped,
  })
  return { valid: false, format, checks }
}
