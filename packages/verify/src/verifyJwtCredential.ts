import { checkSchema } from './checkSchema'
import { checkSignature } from './checkSignature'
import { credentialTypeOf } from './credentialType'
import { decodeJwtCredential } from './decodeJwtCredential'
import { runCredentialChecks, undecodedCredential } from './runCredentialChecks'
import type { StatusChecker } from './statusChecker'
import type { VerificationResult } from './types'
import { checkVerifierOptions, type VerifierOptions } from './verifierOptions'

/** Options for {@link verifyJwtCredential}. */
export interface VerifyJwtCredentialParameters extends VerifierOptions {
  /** The compact JWT-VC. Anything else, of any type, is reported as `malformed`. */
  jwt: string
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

/**
 * Verifies a JWT-encoded verifiable credential and returns the verification envelope. Fails
 * closed: `valid` is true only if every check passed, and bad input never throws — it gives a
 * failed check with a stable code and a reason. The signature is checked against the issuer's
 * current DID document; the claim-based checks are still evaluated on the decoded payload so the
 * envelope says everything that is wrong. If the JWT cannot be decoded at all, the `signature`
 * check carries the reason and the others are `not_checked`.
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
  const decoded = decodeJwtCredential({ jwt })
  if (!decoded.ok) return undecodedCredential('jwt_vc', decoded.error)
  const { header, payload } = decoded.value
  const { vc } = payload
  const type = credentialTypeOf(payload)
  const subjectId = (vc.credentialSubject as { id?: unknown } | undefined)?.id
  return runCredentialChecks({
    format: 'jwt_vc',
    facts: {
      issuer: payload.iss,
      kid: header.kid,
      subject: payload.sub ?? (typeof subjectId === 'string' ? subjectId : undefined),
      id: payload.jti ?? (typeof vc.id === 'string' ? vc.id : undefined),
      type,
      validity: {
        nbf: payload.nbf,
        iat: payload.iat,
        exp: payload.exp,
        starts: {
          issuanceDate: payload.issuanceDate,
          validFrom: payload.validFrom,
          'vc.issuanceDate': vc.issuanceDate,
          'vc.validFrom': vc.validFrom,
        },
        ends: {
          expirationDate: payload.expirationDate,
          validUntil: payload.validUntil,
          'vc.expirationDate': vc.expirationDate,
          'vc.validUntil': vc.validUntil,
        },
      },
      issuerFields: { 'vc.issuer': vc.issuer, issuer: payload.issuer },
      subjectFields: {
        'vc.credentialSubject': vc.credentialSubject,
        credentialSubject: payload.credentialSubject,
      },
    },
    signature: await checkSignature({
      signer: payload.iss,
      alg: header.alg,
      kid: header.kid,
      signingInput: decoded.value.signingInput,
      signature: decoded.value.signature,
      resolver: options.resolver,
    }),
    schema: checkSchema({ jwt, type }),
    checkStatus: (status) =>
      status.checkBitstring({ issuer: payload.iss, credentialStatus: vc.credentialStatus, now }),
    trust: options.trust,
    status: options.status,
    now,
    skew,
  })
}
