import { type CredentialType, checkClaims } from '@clavis/credentials'
import { credentialTypeOfVct, verifySdJwtVc } from '@clavis/sd-jwt'
import { checkIssuerTrust } from './checkIssuerTrust'
import { checkKeyOfDid } from './checkKeyOfDid'
import { checkStatusOfAccepted } from './checkStatusOfAccepted'
import { checkValidityPeriod } from './checkValidityPeriod'
import type { JwtCredentialPayload } from './decodeJwtCredential'
import { assertionKeys, verifyWithDocumentKeys } from './documentKeys'
import { type PresentationVerifierOptions, presentationClock } from './presentationOptions'
import type { PresentationVerificationResult } from './presentationTypes'
import { resolveIssuer } from './resolveIssuer'
import type { CheckFailure, CheckName, CheckResult, PresentationCheckName, VerificationResult } from './types'

const REGISTERED = new Set(['iss', 'sub', 'vct', 'iat', 'nbf', 'exp', 'cnf', 'status', 'jti'])
const fail = (code: CheckFailure['code'], reason: string): CheckFailure => ({ passed: false, code, reason })
const notChecked = (reason: string): CheckResult => fail('not_checked', reason)

const KB_CODES = new Set(['key_binding_missing', 'key_binding_invalid'])
const NONCE_CODES: Record<string, CheckFailure['code']> = {
  nonce_mismatch: 'nonce_mismatch',
  audience_mismatch: 'audience_mismatch',
  key_binding_stale: 'expired',
}

/** Schema of disclosed claims: what is disclosed must be valid; what is withheld may be missing. */
function checkDisclosedSchema(
  type: CredentialType | undefined,
  claims: Record<string, unknown>,
): CheckResult {
  if (!type) return fail('schema_invalid', 'The vct is not one of the Clavis credential types.')
  const own = Object.fromEntries(Object.entries(claims).filter(([k]) => !REGISTERED.has(k)))
  const checked = checkClaims({ type, claims: own })
  if (checked.ok) return { passed: true }
  const real = checked.issues.filter((i) => !(i.code === 'required' && !(i.path.split('.')[0]! in own)))
  if (real.length === 0) return { passed: true }
  return fail('schema_invalid', `Claim "${real[0]!.path}" is not valid: ${real[0]!.message}`)
}

/**
 * Verifies an SD-JWT VC presentation with key binding: the issuer's signature against its current
 * DID keys, the disclosures, the KB-JWT (holder key from `cnf`, `sd_hash`, the verifier's nonce and
 * exact audience, freshness, and the nonce is single-use), then trust, validity period, status (IETF
 * Token Status List) and the schema of what was disclosed. Never throws for bad input.
 *
 * @example
 * const result = await verifySdJwtPresentation({ presentation, resolver, trust, status, nonces, expect: { nonce, audience } })
 * result.disclosed?.birthDate
 */
export async function verifySdJwtPresentation(
  options: PresentationVerifierOptions & { presentation: string },
): Promise<PresentationVerificationResult> {
  const { now, skew } = presentationClock('verifySdJwtPresentation', options)
  const broken = (failure: CheckFailure): PresentationVerificationResult => ({
    valid: false,
    format: 'dc+sd-jwt',
    checks: {
      signature: notChecked('The credential could not be verified.'),
      holderBinding: notChecked('The credential could not be verified.'),
      nonceAudience: notChecked('The credential could not be verified.'),
    },
    credentials: [
      {
        valid: false,
        format: 'dc+sd-jwt',
        checks: {
          signature: failure,
          signerIsIssuer: notChecked('See signature.'),
          issuerTrust: notChecked('See signature.'),
          validityPeriod: notChecked('See signature.'),
          status: notChecked('See signature.'),
          schema: notChecked('See signature.'),
        },
      },
    ],
  })

  // The issuer's DID is resolved and its signature checked once, inside the SD-JWT verifier's
  // issuer step: full keys directly, address-only keys (after a rotation) by recovery.
  let unresolved: CheckFailure | undefined
  const result = await verifySdJwtVc({
    presentation: options.presentation,
    verifyIssuerSignature: async ({ iss, kid, alg, data, signature }) => {
      const resolved = await resolveIssuer({ did: iss, resolver: options.resolver })
      if (!resolved.ok) {
        unresolved = resolved.failure
        return 'no_key'
      }
      const keys = assertionKeys({ document: resolved.resolution.didDocument!, alg, kid })
      if (keys.length === 0) return 'no_key'
      return verifyWithDocumentKeys({ keys, alg, data, signature }) ? 'valid' : 'invalid'
    },
    requireKeyBinding: true,
    nonce: options.expect.nonce,
    audience: options.expect.audience,
    now,
    clockSkewSeconds: skew,
  })
  if (unresolved) return broken(unresolved)
  if (!result.ok) {
    if (KB_CODES.has(result.code) || result.code in NONCE_CODES) {
      const failure = KB_CODES.has(result.code)
        ? fail(result.code as CheckFailure['code'], result.reason)
        : fail(NONCE_CODES[result.code]!, result.reason)
      const out = broken(fail('not_checked', 'The presentation failed its key binding.'))
      out.checks = KB_CODES.has(result.code)
        ? { signature: failure, holderBinding: failure, nonceAudience: notChecked('See holderBinding.') }
        : { signature: { passed: true }, holderBinding: { passed: true }, nonceAudience: failure }
      return out
    }
    return broken(fail(result.code as CheckFailure['code'], result.reason))
  }

  const { payload, claims, header } = result
  const iss = payload.iss
  const kid = header.kid
  const type = typeof payload.vct === 'string' ? credentialTypeOfVct(payload.vct) : undefined
  const validity = checkValidityPeriod({
    payload: { ...payload, vc: {} } as unknown as JwtCredentialPayload,
    type,
    now,
    clockSkewSeconds: skew,
  })
  const kidOk = kid === undefined || kid.startsWith('#') || kid.startsWith(`${iss}#`)
  const signerIsIssuer: CheckResult = kidOk
    ? { passed: true }
    : fail('issuer_mismatch', `The signing key ${kid} is not a key of ${iss}.`)
  const issuerTrust = checkIssuerTrust({ issuer: iss, type, trust: options.trust })
  const checks: Record<CheckName, CheckResult> = {
    signature: { passed: true },
    signerIsIssuer,
    issuerTrust,
    validityPeriod: validity.result,
    status: await checkStatusOfAccepted({
      accepted: signerIsIssuer.passed && issuerTrust.passed,
      status: options.status,
      check: (status) => status.checkToken({ issuer: iss, status: payload.status, now }),
    }),
    schema: checkDisclosedSchema(type, claims),
  }
  const credential: VerificationResult = {
    valid: Object.values(checks).every((c) => c.passed),
    format: 'dc+sd-jwt',
    checks,
    issuer: iss,
    ...(payload.sub ? { subject: payload.sub } : {}),
    ...(type ? { type } : {}),
    ...(payload.jti ? { id: payload.jti } : {}),
    ...(validity.validFrom ? { validFrom: validity.validFrom } : {}),
    ...(validity.validUntil ? { validUntil: validity.validUntil } : {}),
  }
  // The key binding proved the presenter holds cnf's key; a DID subject must be that key's DID.
  const holderBinding: CheckResult =
    typeof payload.sub === 'string' && payload.sub.startsWith('did:')
      ? await checkKeyOfDid({ did: payload.sub, jwk: payload.cnf?.jwk, resolver: options.resolver })
      : { passed: true }
  const fresh = await options.nonces.consume({
    nonce: options.expect.nonce,
    audience: options.expect.audience,
    now,
  })
  const presentationChecks: Record<PresentationCheckName, CheckResult> = {
    signature: { passed: true },
    holderBinding,
    nonceAudience: fresh
      ? { passed: true }
      : fail('nonce_replayed', 'This nonce was already used or has expired: the presentation is a replay.'),
  }
  return {
    valid: credential.valid && Object.values(presentationChecks).every((c) => c.passed),
    format: 'dc+sd-jwt',
    ...(payload.sub ? { holder: payload.sub } : {}),
    checks: presentationChecks,
    credentials: [credential],
    disclosed: claims,
  }
}
