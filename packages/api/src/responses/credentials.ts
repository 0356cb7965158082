import { z } from 'zod'
import { issuableTypeSchema } from '../schemas'

/** Every credential type of Clavis (issued here, or by a patient's wallet: access grants). */
export const credentialTypeSchema = z.enum([
  'ClinicianLicenseCredential',
  'PatientIdentityCredential',
  'AccessGrantCredential',
])

/** Where a credential stands: revocation is final, suspension is not. */
export const credentialStatusSchema = z.enum(['valid', 'suspended', 'revoked'])

/** A credential the organisation issued, with the credential itself (`jwt`: JWT-VC, VC 2.0 `vc+jwt` or SD-JWT VC). */
export const issuedCredentialSchema = z.object({
  id: z.string(),
  type: issuableTypeSchema,
  issuer: z.string(),
  subject: z.string(),
  issuedAt: z.string(),
  validFrom: z.string(),
  validUntil: z.string().nullable(),
  /** Signed with a key a compromise rotation invalidated: issue it again. */
  reissueRequired: z.boolean(),
  format: z.enum(['jwt_vc', 'vc+jwt', 'dc+sd-jwt']),
  status: credentialStatusSchema,
  jwt: z.string(),
})
export type IssuedCredential = z.infer<typeof issuedCredentialSchema>

/** `GET /v1/organisations/{id}/credentials`: one page, newest first, and how many there are. */
export const credentialPageResponse = z.object({
  credentials: z.array(issuedCredentialSchema),
  total: z.number().int().min(0),
})

/** The trust list: which issuers the organisation accepts, for which credential types. */
export const trustListResponse = z.object({
  entries: z.array(z.object({ issuer: z.string(), types: z.array(credentialTypeSchema) })),
})
export type TrustListResponse = z.infer<typeof trustListResponse>

/** `POST …/credentials/{credentialId}/status`: the new status and the lists that publish it. */
export const statusChangeResponse = z.object({
  id: z.string(),
  status: credentialStatusSchema,
  lists: z.array(z.string()),
})
