import { z } from 'zod'
import { credentialTypeSchema } from './credentials'
import { VERIFICATION_FAILURE_CODES } from './verification-codes'

/** One check of a verification: passed, or why not. */
export const checkResultSchema = z.discriminatedUnion('passed', [
  z.object({ passed: z.literal(true) }),
  z.object({ passed: z.literal(false), code: z.enum(VERIFICATION_FAILURE_CODES), reason: z.string() }),
])

/**
 * The verification envelope of one credential: `valid` only if every check passed; every check is
 * always there. The descriptive fields come from the credential and count only when it is valid.
 */
export const verificationResultSchema = z.object({
  valid: z.boolean(),
  format: z.enum(['jwt_vc', 'vc+jwt', 'dc+sd-jwt']),
  checks: z.object({
    signature: checkResultSchema,
    signerIsIssuer: checkResultSchema,
    issuerTrust: checkResultSchema,
    validityPeriod: checkResultSchema,
    status: checkResultSchema,
    schema: checkResultSchema,
  }),
  issuer: z.string().optional(),
  subject: z.string().optional(),
  type: credentialTypeSchema.optional(),
  id: z.string().optional(),
  validFrom: z.string().optional(),
  validUntil: z.string().optional(),
  /** The verification method that matched the signature (only when the signature check passed). */
  signer: z.object({ kid: z.string() }).optional(),
})

/** `POST /v1/verify`: the envelope, and whose trust list applied (null: nobody's, so not valid). */
export const credentialVerificationResponse = verificationResultSchema.extend({
  verifier: z.string().nullable(),
})
export type CredentialVerificationResponse = z.infer<typeof credentialVerificationResponse>

/**
 * `POST /v1/organisations/{id}/verify/batch`: each credential's envelope, in the order sent, and
 * how many were valid. `verifier` is the organisation whose trust list applied.
 */
export const batchVerificationResponse = z.object({
  verifier: z.string(),
  summary: z.object({ total: z.number().int(), valid: z.number().int(), notValid: z.number().int() }),
  results: z.array(verificationResultSchema),
})
export type BatchVerificationResponse = z.infer<typeof batchVerificationResponse>

/** `POST /v1/verify/presentation`: the presentation's checks and each credential's envelope. */
export const presentationVerificationResponse = z.object({
  valid: z.boolean(),
  format: z.enum(['jwt_vp', 'vp+jwt', 'dc+sd-jwt']),
  /** The presenter: the VP signer's DID, or the SD-JWT VC's `sub`. */
  holder: z.string().optional(),
  checks: z.object({
    signature: checkResultSchema,
    holderBinding: checkResultSchema,
    nonceAudience: checkResultSchema,
  }),
  credentials: z.array(verificationResultSchema),
  /** SD-JWT VC: the claims the holder disclosed (and the always-visible ones). */
  disclosed: z.record(z.string(), z.unknown()).optional(),
})
export type PresentationVerificationResponse = z.infer<typeof presentationVerificationResponse>

/** `POST /v1/organisations/{id}/presentation-requests`: give the holder nonce and audience only. */
export const presentationRequestResponse = z.object({
  nonce: z.string(),
  audience: z.string(),
  expiresAt: z.string(),
  /** Verifying a presentation made with the nonce takes this secret: keep it with the verifier. */
  requestSecret: z.string(),
})
export type PresentationRequestResponse = z.infer<typeof presentationRequestResponse>
