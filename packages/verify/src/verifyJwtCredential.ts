import type { JsonObject } from '@clavis/crypto'
import { normalizeCredential } from 'did-jwt-vc'
import { checkSchema } from './checkSchema'
import { checkSignature } from './checkSignature'
import { credentialTypeOf } from './credentialType'
import { decodeJwtCredential, type JwtCredentialFormat } from './decodeJwtCredential'
import { type CredentialFacts, runCredentialChecks, undecodedCredential } from './runCredentialChecks'
import type { StatusChecker } from './statusChecker'
import type { VerificationResult } from './types'
import { checkVerifierOptions, type VerifierOptions } from './verifierOptions'

/** Options for {@link verifyJwtCredential}. */
export interface VerifyJwtCredentialParameters extends VerifierOptions {
  /** The compact JWT-VC. Anything else, of any type, is reported as `malformed`. */
  jwt: string
  /**
   * The only form accepted, when the caller knows it (a VP decides it for the credentials inside);
   * otherwise either: `jwt_vc` (VC 1.1 JWT) or `vc+jwt` (VC 2.0, VC-JOSE-COSE), by the JWT's `typ`.
   */
  format?: JwtCredentialFormat
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

/** The facts of a VC 1.1 JWT: the JWT claims and the `vc` claim, which may name each again. */
function factsV1(payload: JsonObject, vc: JsonObject): Omit<CredentialFacts, 'issuer' | 'kid' | 'type'> {
  const subjectId = (vc.credentialSubject as { id?: unknown } | undefined)?.id
  return {
    subject: stringOr(payload.sub, subjectId),
    id: stringOr(payload.jti, vc.id),
    validity: {
      nbf: payload.nbf,
      iat: payload.iat,
      exp: payload.exp,
      starts: { issuanceDate: payload.issuanceDate, 'vc.issuanceDate': vc.issuanceDate },
      ends: { expirationDate: payload.expirationDate, 'vc.expirationDate': vc.expirationDate },
    },
    issuerFields: { 'vc.issuer': vc.issuer, issuer: payload.issuer },
    subjectFields: {
      'vc.credentialSubject': vc.credentialSubject,
      credentialSubject: payload.credentialSubject,
    },
  }
}

/**
 * The facts of a VC 2.0 `vc+jwt`: the claims set is the credential; registered JWT claims may
 * repeat it (VC-JOSE-COSE: `iss` MUST match `issuer`; `sub` and `jti` SHOULD NOT conflict with
 * `credentialSubject.id` and `id`) and `iat`/`exp`/`nbf` bound the signature's validity.
 */
function factsV2(payload: JsonObject): Omit<CredentialFacts, 'issuer' | 'kid' | 'type'> {
  const subjectId = (payload.credentialSubject as { id?: unknown } | undefined)?.id
  return {
    subject: stringOr(payload.sub, subjectId),
    id: stringOr(payload.id, payload.jti),
    validity: {
      nbf: payload.nbf,
      iat: payload.iat,
      exp: payload.exp,
      starts: { validFrom: payload.validFrom },
      ends: { validUntil: payload.validUntil },
    },
    issuerFields: { iss: payload.iss },
    subjectFields: { credentialSubject: payload.credentialSubject },
  }
}

const stringOr = (a: unknown, b: unknown): string | undefined =>
  typeof a === 'string' ? a : typeof b === 'string' ? b : undefined

/**
 * Verifies a JWT-encoded verifiable credential — VC 1.1 JWT (`jwt_vc`) or VC 2.0 secured with
 * VC-JOSE-COSE (`vc+jwt`), never a mix (see `decodeJwtCredential`) — and returns the verification
 * envelope. Fails closed: `valid` is true only if every check passed, and bad input never throws —
 * it gives a failed check with a stable code and a reason. The signature is checked against the
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
  const { now, skew } = checkVerifierOptions('verifyJwtCredential', options)
  const { jwt } = options
  const decoded = decodeJwtCredential({ jwt, expect: options.format })
  if (!decoded.ok) return undecodedCredential(options.format ?? 'jwt_vc', decoded.error)
  const { format, header, payload, document, signer } = decoded.value
  const type = credentialTypeOf(payload)
  return runCredentialChecks({
    format,
    facts: {
      issuer: signer,
      kid: header.kid,
      type,
      ...(format === 'vc+jwt' ? factsV2(payload) : factsV1(payload, document)),
    },
    signature: await checkSignature({
      signer,
      alg: header.alg,
      kid: header.kid,
      signingInput: decoded.value.signingInput,
      signature: decoded.value.signature,
      resolver: options.resolver,
    }),
    schema: checkSchema({
      // The decoded claims set, not the JWT: did-jwt-vc would decode it a second time.
      credential: () =>
        format === 'vc+jwt'
          ? document
          : normalizeCredential(payload as Parameters<typeof normalizeCredential>[0]),
      type,
    }),
    checkStatus: (status) =>
      status.checkBitstring({ issuer: signer, credentialStatus: document.credentialStatus, now }),
    trust: options.trust,
    status: options.status,
    now,
    skew,
  })
}
