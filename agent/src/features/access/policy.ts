import type { VpRequestStatusResponse } from '@clavis/api'
import { recordScopesOf } from '../records/fhir/smart'

type VpResult = NonNullable<VpRequestStatusResponse['result']>
type PresentationResult = VpResult['presentations'][string][number]
type CredentialResult = PresentationResult['credentials'][number]

/** Why access was refused: stable codes the clinician's app and the audit trail show. */
export type AccessRefusal =
  | 'presentation_invalid'
  | 'licence_missing'
  | 'licence_untrusted'
  | 'licence_revoked'
  | 'licence_suspended'
  | 'licence_expired'
  | 'licence_invalid'
  | 'grant_missing'
  | 'grant_not_from_patient'
  | 'grant_other_clinician'
  | 'grant_wrong_hospital'
  | 'grant_expired'
  | 'grant_revoked'
  | 'grant_invalid'
  | 'grant_out_of_scope'
  | 'unknown_patient'

/** One step of the decision, as shown and audited (pass/fail and a code; never claim values). */
export interface PolicyCheck {
  passed: boolean
  /** Why not; `not_checked` when an earlier step already refused. */
  code?: AccessRefusal | 'not_checked'
}

export type AccessDecision =
  | {
      permitted: true
      clinicianDid: string
      /** SMART v2 scopes the token carries (`patient/Observation.rs`…). */
      scopes: string[]
      purposeOfUse: string
      licenceId: string | undefined
      grantId: string | undefined
      /** The grant names single records (`Type/id`): only those are opened. */
      records: string[] | undefined
      checks: Record<string, PolicyCheck>
    }
  | {
      permitted: false
      reason: AccessRefusal
      message: string
      /** Only when the presentations were bound to their holder. */
      clinicianDid: string | undefined
      /** A clinician whose bound, valid licence from a trusted board was refused (not a stranger). */
      genuine: boolean
      checks: Record<string, PolicyCheck>
    }

const MESSAGES: Record<AccessRefusal, string> = {
  presentation_invalid:
    'The presentation was not signed by its holder for this request. Ask for access again and present from your own wallet.',
  licence_missing: 'No clinician licence was presented. Add your licence to your wallet and ask again.',
  licence_untrusted:
    'Your licence is from a board this hospital does not trust. Ask the hospital to add your board.',
  licence_revoked: 'Your licence was revoked by its board.',
  licence_suspended: 'Your licence is suspended by its board.',
  licence_expired: 'Your licence has expired or is not valid yet. Ask your board for a new one.',
  licence_invalid: 'Your licence did not verify. Ask your board for a new one.',
  grant_missing: 'No access grant from this patient was presented. Ask the patient to grant you access.',
  grant_not_from_patient:
    'The grant was not issued by this patient (the DID their identity credential was issued to). Ask the patient to grant you access from their own wallet.',
  grant_other_clinician: 'The grant names another clinician. Ask the patient for a grant to you.',
  grant_wrong_hospital:
    'The grant is for another hospital. Ask the patient for a grant naming this hospital.',
  grant_expired: 'The grant has expired or is not valid yet. Ask the patient for a new one.',
  grant_revoked: 'The patient revoked this grant.',
  grant_invalid:
    'The grant did not verify, hides some of its claims, or names no purpose. Ask the patient for a new one from a Clavis wallet.',
  grant_out_of_scope:
    'The grant opens no record type this hospital keeps (it needs patient/<Type>.rs scopes). Ask the patient for a grant naming record types.',
  unknown_patient:
    'This hospital has no patient whose identity credential was issued to that DID. Check the patient, or ask them to check in first.',
}

/** The refusal a failed credential's checks amount to. */
function credentialRefusal(c: CredentialResult, what: 'licence' | 'grant'): AccessRefusal | undefined {
  if (c.valid) return undefined
  const code = (name: string) => {
    const check = c.checks[name]
    return check && !check.passed ? ('code' in check ? check.code : 'failed') : undefined
  }
  if (what === 'licence' && code('issuerTrust') === 'untrusted_issuer') return 'licence_untrusted'
  if (what === 'grant' && code('issuerTrust') === 'untrusted_issuer') return 'grant_not_from_patient'
  const status = code('status')
  if (status === 'revoked') return what === 'licence' ? 'licence_revoked' : 'grant_revoked'
  if (status === 'suspended') return what === 'licence' ? 'licence_suspended' : 'grant_revoked'
  if (code('validityPeriod')) return what === 'licence' ? 'licence_expired' : 'grant_expired'
  return what === 'licence' ? 'licence_invalid' : 'grant_invalid'
}

const bound = (p: PresentationResult) =>
  p.checks.signature.passed && p.checks.holderBinding.passed && p.checks.nonceAudience.passed

/**
 * The record-access policy of DESIGN §6, on a verified OpenID4VP response: a licence from a board
 * the hospital trusts, valid, not suspended or revoked, held by the presenter; and (unless the
 * clinician declared an emergency) a grant issued by the patient's DID, naming the presenter and
 * this hospital, covering at least one record type, in time, not revoked. Every check is listed,
 * passed or not; the first failure is the reason.
 */
export function decideAccess(o: {
  result: VpResult
  hospitalDid: string
  /** The patient asked for, when this hospital knows their DID. */
  patient: { id: string; did: string } | undefined
  emergency: boolean
  /**
   * What the grant's issuer signed, read from the presentation: its `records` (a grant limited to
   * single records) and whether it hides any claim (`_sd` digests: a grant must hide nothing, or a
   * holder could leave a limit out).
   */
  grantSigned?: { records?: unknown; hidesClaims: boolean } | undefined
}): AccessDecision {
  const checks: Record<string, PolicyCheck> = {}
  let reason: AccessRefusal | undefined
  const check = (name: string, refusal: AccessRefusal | undefined) => {
    if (reason) {
      checks[name] = { passed: false, code: 'not_checked' }
      return
    }
    checks[name] = refusal ? { passed: false, code: refusal } : { passed: true }
    reason = refusal
  }
  const licence = o.result.presentations.licence?.[0]
  const grant = o.result.presentations.grant?.[0]
  // Who presented counts only once their presentations are bound to them (signature, holder
  // binding, this request's nonce): before that the DID is only what someone wrote.
  const presented = [licence, grant].every((p) => !p || bound(p)) && licence !== undefined
  check('presentation', presented ? undefined : licence ? 'presentation_invalid' : 'licence_missing')
  const clinicianDid = presented ? licence?.holder : undefined
  const licenceCredential = licence?.credentials[0]
  check(
    'licence',
    licenceCredential?.type !== 'ClinicianLicenseCredential'
      ? 'licence_missing'
      : credentialRefusal(licenceCredential, 'licence'),
  )
  // Whether a DID is a patient here is said only to a licensed clinician (checked above).
  check('patient', o.patient ? undefined : 'unknown_patient')
  let scopes: string[] = []
  let purposeOfUse = 'BTG'
  let records: string[] | undefined
  const grantCredential = grant?.credentials[0]
  if (!o.emergency) {
    const claims = (grant?.claims ?? {}) as { audience?: unknown; scope?: unknown; purposeOfUse?: unknown }
    check(
      'grant',
      grantCredential?.type !== 'AccessGrantCredential'
        ? 'grant_missing'
        : (credentialRefusal(grantCredential, 'grant') ??
            (o.grantSigned?.hidesClaims || typeof claims.purposeOfUse !== 'string'
              ? 'grant_invalid'
              : undefined)),
    )
    check(
      'grantIssuer',
      grantCredential && o.patient && grantCredential.issuer === o.patient.did
        ? undefined
        : 'grant_not_from_patient',
    )
    check(
      'grantGrantee',
      grant?.holder && grant.holder === clinicianDid ? undefined : 'grant_other_clinician',
    )
    check('grantHospital', claims.audience === o.hospitalDid ? undefined : 'grant_wrong_hospital')
    scopes = Array.isArray(claims.scope) ? safeScopes(claims.scope) : []
    check('grantScope', scopes.length > 0 ? undefined : 'grant_out_of_scope')
    if (typeof claims.purposeOfUse === 'string') purposeOfUse = claims.purposeOfUse
    const named = o.grantSigned?.records
    if (Array.isArray(named)) records = named.filter((r): r is string => typeof r === 'string')
  } else {
    // An emergency opens every record type a hospital keeps, read-only, for a short time.
    scopes = safeScopes(['patient/*.rs'])
  }
  if (reason || !clinicianDid)
    return {
      permitted: false,
      reason: reason ?? 'presentation_invalid',
      message: MESSAGES[reason ?? 'presentation_invalid'],
      clinicianDid,
      genuine: presented && checks.licence?.passed === true,
      checks,
    }
  return {
    permitted: true,
    clinicianDid,
    scopes,
    purposeOfUse,
    licenceId: licenceCredential?.id,
    grantId: o.emergency ? undefined : grantCredential?.id,
    records,
    checks,
  }
}

function safeScopes(scopes: unknown[]): string[] {
  try {
    return recordScopesOf(scopes.filter((s): s is string => typeof s === 'string'))
  } catch {
    return []
  }
}

export const refusalMessage = (reason: AccessRefusal) => MESSAGES[reason]
