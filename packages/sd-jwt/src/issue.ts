import type { ClaimIssue, CredentialType } from '@clavis/credentials'
import { checkClaims, checkValidityPeriod, isDid } from '@clavis/credentials'
import type { EcPublicJwk, JwsAlgorithm, Signer } from '@clavis/crypto'
import { jwkToPublicKey } from '@clavis/crypto'
import { DEFAULT_DISCLOSABLE, NEVER_DISCLOSABLE } from './disclosable'
import { SdJwtError } from './errors'
import { issueRawSdJwt } from './issue-raw'
import type { SdJwtVcStatus } from './types'
import { vctFor } from './vct'

/** Options of {@link issueSdJwtVc}. */
export interface IssueSdJwtVcOptions {
  type: CredentialType
  /** Issuer DID (`iss`). */
  issuer: string
  /** DID URL of the signing key (header `kid`); its DID must be `issuer`. */
  kid: string
  alg: JwsAlgorithm
  signer: Signer
  /** Holder DID, goes to `sub`. */
  subject: string
  /** The `credentialSubject` claims (without `id`), checked against the type's schema. */
  claims: Record<string, unknown>
  /** The holder's public key, goes to `cnf.jwk`. */
  holderJwk: EcPublicJwk
  validFrom: Date
  validUntil?: Date
  status?: SdJwtVcStatus
  /** Top-level claim names to make selectively disclosable; default {@link DEFAULT_DISCLOSABLE}. */
  disclosable?: readonly string[]
  jti?: string
}

/**
 * Issues an SD-JWT VC (`dc+sd-jwt`) of one of our credential types. Checks claims and validity
 * period first (SdJwtError `invalid_claims` with `issues`), refuses disclosable names in
 * {@link NEVER_DISCLOSABLE} (`not_disclosable`). Payload: `iss, sub, vct, iat, nbf, exp?, cnf,
 * status?, jti?`, the claims, `_sd` (padded with decoy digests to one per disclosable name, so
 * absent optional claims do not show), `_sd_alg: 'sha-256'`.
 *
 * @example
 * const credential = await issueSdJwtVc({
 *   type: 'PatientIdentityCredential', issuer: hospitalDid, kid: `${hospitalDid}#controller`,
 *   alg: 'ES256K', signer, subject: patientDid, claims, holderJwk, validFrom: new Date(),
 * })
 */
export async function issueSdJwtVc(options: IssueSdJwtVcOptions): Promise<string> {
  const { type, issuer, kid, subject, holderJwk, validFrom, validUntil } = options
  const issues: ClaimIssue[] = []
  const claimsCheck = checkClaims({ type, claims: options.claims })
  if (!claimsCheck.ok) issues.push(...claimsCheck.error.map((i) => ({ ...i, path: `claims.${i.path}` })))
  const period = checkValidityPeriod(
    validUntil === undefined ? { type, validFrom } : { type, validFrom, validUntil },
  )
  if (!period.ok) issues.push(...period.error)
  issues.push(...envelopeIssues(options))
  if (issues.length > 0) throw claimsError(issues)

  const disclosable = [...new Set(options.disclosable ?? DEFAULT_DISCLOSABLE[type])]
  const refused = disclosable.filter((name) => NEVER_DISCLOSABLE.includes(name))
  if (refused.length > 0)
    throw new SdJwtError(
      'not_disclosable',
      `Claims ${refused.map((n) => `"${n}"`).join(', ')} must stay visible; remove them from "disclosable".`,
    )
  const claims = claimsCheck.ok ? (claimsCheck.value as Record<string, unknown>) : {}
  const present = disclosable.filter((name) => name in claims)
  const payload: Record<string, unknown> = {
    iss: issuer,
    sub: subject,
    vct: vctFor(type),
    iat: seconds(new Date()),
    nbf: seconds(validFrom),
    ...(validUntil === undefined ? {} : { exp: seconds(validUntil) }),
    cnf: { jwk: { kty: holderJwk.kty, crv: holderJwk.crv, x: holderJwk.x, y: holderJwk.y } },
    ...(options.status === undefined ? {} : { status: options.status }),
    ...(options.jti === undefined ? {} : { jti: options.jti }),
    ...claims,
  }
  return issueRawSdJwt({
    payload,
    // Decoys keep the digest count constant, so it does not tell which optional claims exist.
    disclosureFrame: { _sd: present, _sd_decoy: disclosable.length - present.length },
    alg: options.alg,
    signer: options.signer,
    kid,
  })
}

function envelopeIssues(options: IssueSdJwtVcOptions): ClaimIssue[] {
  const issues: ClaimIssue[] = []
  if (!isDid(options.issuer))
    issues.push({ path: 'issuer', code: 'invalid_format', message: 'Must be a DID such as "did:ethr:0x…".' })
  if (!isDid(options.subject))
    issues.push({ path: 'subject', code: 'invalid_format', message: 'Must be the holder DID.' })
  if (typeof options.kid !== 'string' || !options.kid.startsWith(`${options.issuer}#`))
    issues.push({
      path: 'kid',
      code: 'invalid_value',
      message: 'Must be a DID URL of the issuer ("<issuer>#key").',
    })
  if (!jwkToPublicKey(options.holderJwk))
    issues.push({
      path: 'holderJwk',
      code: 'invalid_value',
      message: 'Must be a public EC JWK (P-256 or secp256k1).',
    })
  const idx = options.status?.status_list?.idx
  const uri = options.status?.status_list?.uri
  if (
    options.status !== undefined &&
    (!Number.isSafeInteger(idx) || (idx as number) < 0 || typeof uri !== 'string')
  )
    issues.push({ path: 'status', code: 'invalid_value', message: 'Must be { status_list: { idx, uri } }.' })
  return issues
}

function claimsError(issues: ClaimIssue[]): SdJwtError {
  const first = issues[0]!
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''
  return new SdJwtError(
    'invalid_claims',
    `Bad field "${first.path}" (${first.code}): ${first.message}${more}`,
    {
      issues,
    },
  )
}

function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000)
}
