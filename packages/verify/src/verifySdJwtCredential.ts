import { credentialTypeOfVct, type DecodedSdJwtVc, decodeSdJwtVc, disclosedClaims } from '@clavis/sd-jwt'
import type { Resolvable } from 'did-resolver'
import { checkDisclosedSchema } from './checkDisclosedSchema'
import { checkSignature } from './checkSignature'
import { notChecked } from './reportChecks'
import { runCredentialChecks, undecodedCredential } from './runCredentialChecks'
import type { StatusChecker } from './statusChecker'
import type { TrustPolicy } from './trustListPolicy'
import type { CheckOutcome, VerificationResult } from './types'

/** An SD-JWT VC's envelope, and what its presentation's checks need from it. */
export interface VerifiedSdJwtCredential {
  credential: VerificationResult
  /** The decoded presentation; absent when it could not be decoded. */
  decoded?: DecodedSdJwtVc
  /** Whether the issuer's signature and the disclosures verified (so `cnf` and the claims can be trusted). */
  intact: boolean
  /** The disclosed claims, when intact. */
  disclosed?: Record<string, unknown>
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

/**
 * SD-JWT VC: decodes the presentation strictly, verifies the issuer's signature against the
 * current DID document of `iss` (full keys directly, address-only keys by recovery) and the
 * disclosures — reported together on the credential's `signature` check — and runs the shared
 * credential checks on the always-visible claims (`iss`, `sub`, `vct`, `nbf`, `iat`, `exp`, `jti`),
 * the status (IETF Token Status List) and the schema of what was disclosed. The key binding is the
 * presentation's. Never throws for bad input.
 *
 * @example
 * const { credential, decoded, intact } = await verifySdJwtCredential({ presentation, resolver, trust, status, now, skew })
 */
export async function verifySdJwtCredential(options: {
  presentation: unknown
  resolver: Resolvable
  trust: TrustPolicy
  status: StatusChecker | undefined
  now: Date
  skew: number
}): Promise<VerifiedSdJwtCredential> {
  const { now } = options
  const read = decodeSdJwtVc(options.presentation)
  if (!read.ok) return { credential: undecodedCredential('dc+sd-jwt', read.error), intact: false }
  const decoded = read.value
  const { header, payload } = decoded
  const issuerSigned = await checkSignature({
    signer: payload.iss,
    alg: header.alg,
    kid: header.kid,
    signingInput: decoded.issuerSigningInput,
    signature: decoded.issuerSignature,
    resolver: options.resolver,
  })
  const disclosed = disclosedClaims(decoded)
  const signature: CheckOutcome<{ kid: string }> = !issuerSigned.ok || disclosed.ok ? issuerSigned : disclosed
  const type = typeof payload.vct === 'string' ? credentialTypeOfVct(payload.vct) : undefined
  const credential = await runCredentialChecks({
    format: 'dc+sd-jwt',
    facts: {
      issuer: payload.iss,
      kid: header.kid,
      subject: text(payload.sub),
      id: text(payload.jti),
      type,
      validity: { nbf: payload.nbf, iat: payload.iat, exp: payload.exp },
    },
    signature,
    schema: disclosed.ok
      ? checkDisclosedSchema({ type, claims: disclosed.value.claims })
      : notChecked('Not checked: the disclosures are not valid (see signature).'),
    checkStatus: (status) => status.checkToken({ issuer: payload.iss, status: payload.status, now }),
    trust: options.trust,
    status: options.status,
    now,
    skew: options.skew,
  })
  const intact = signature.ok
  return {
    credential,
    decoded,
    intact,
    ...(intact && disclosed.ok ? { disclosed: disclosed.value.claims } : {}),
  }
}
