import { z } from 'zod'

const DID_PATTERN = /^did:[a-z0-9]+:(?:[A-Za-z0-9._%-]*:)*[A-Za-z0-9._%-]+$/

/** A DID, syntactically (DID Core ABNF, without path/query/fragment), at most 256 characters. */
export const didSchema = z.string().max(256).regex(DID_PATTERN, 'must be a DID, e.g. did:ethr:0x7a69:0x03…')

/** Kinds of organisation. */
export const organisationKindSchema = z.enum(['board', 'hospital'])
export type OrganisationKind = z.infer<typeof organisationKindSchema>

/** `POST /v1/organisations` */
export const createOrganisationRequest = z.strictObject({
  name: z.string().trim().min(1).max(120),
  kind: organisationKindSchema,
})
export type CreateOrganisationRequest = z.infer<typeof createOrganisationRequest>

const serviceEndpoint = z
  .url({ protocol: /^https?$/ })
  .max(512)
  .refine((u) => u.startsWith('https://') || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(u), {
    message: 'must be an https URL (http only for loopback)',
  })

/** `POST /v1/organisations/{id}/did/services` */
export const addServiceRequest = z.strictObject({
  // `did/svc/<type>` is one 32-byte registry name: at most 23 characters survive whole.
  type: z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,22}$/, '1–23 letters and digits, starting with a letter'),
  serviceEndpoint,
})
export type AddServiceRequest = z.infer<typeof addServiceRequest>

const TEN_YEARS = 10 * 365 * 24 * 3600

/** `POST /v1/organisations/{id}/did/keys`: add a delegate signing key. */
export const addKeyRequest = z.strictObject({
  validitySeconds: z.number().int().min(60).max(TEN_YEARS).optional(),
})
export type AddKeyRequest = z.infer<typeof addKeyRequest>

/** `POST /v1/organisations/{id}/did/rotate` */
export const rotateKeyRequest = z.strictObject({
  policy: z.enum(['routine', 'compromise']),
})
export type RotateKeyRequest = z.infer<typeof rotateKeyRequest>
export type RotationPolicy = RotateKeyRequest['policy']

/** Credential types an organisation issues through the agent. */
export const issuableTypeSchema = z.enum(['ClinicianLicenseCredential', 'PatientIdentityCredential'])

/** A public EC JWK (the holder's wallet key for SD-JWT VC binding). */
export const publicJwkSchema = z.strictObject({
  kty: z.literal('EC'),
  crv: z.enum(['secp256k1', 'P-256']),
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  y: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  kid: z.string().max(256).optional(),
})

/** `POST /v1/organisations/{id}/credentials` */
export const issueCredentialRequest = z.strictObject({
  type: issuableTypeSchema,
  /** `jwt_vc` (default): VC 1.1 JWT (OpenID4VCI `jwt_vc_json`); `vc+jwt`: VC 2.0 secured with VC-JOSE-COSE; `dc+sd-jwt`: SD-JWT VC. */
  format: z.enum(['jwt_vc', 'vc+jwt', 'dc+sd-jwt']).optional(),
  holderJwk: publicJwkSchema.optional(),
  subject: didSchema,
  claims: z.record(z.string(), z.unknown()),
  validFrom: z.iso.datetime({ offset: true }).optional(),
  validUntil: z.iso.datetime({ offset: true }).optional(),
})
export type IssueCredentialRequest = z.infer<typeof issueCredentialRequest>

/** `POST /v1/organisations/{id}/offers`: an OpenID4VCI offer of one credential (pre-authorized code flow). */
export const createOfferRequest = z.strictObject({
  type: issuableTypeSchema,
  claims: z.record(z.string(), z.unknown()),
  validFrom: z.iso.datetime({ offset: true }).optional(),
  validUntil: z.iso.datetime({ offset: true }).optional(),
  /** The formats the wallet may choose from: `jwt_vc_json` (VC 1.1 JWT-VC), `dc+sd-jwt`. Default both. */
  formats: z
    .array(z.enum(['jwt_vc_json', 'dc+sd-jwt']))
    .min(1)
    .max(2)
    .refine((f) => new Set(f).size === f.length, 'Name each format once.')
    .optional(),
  /** How long the offer can be redeemed, seconds (default 900). */
  ttlSeconds: z.number().int().min(60).max(86_400).optional(),
})
export type CreateOfferRequest = z.infer<typeof createOfferRequest>

/** `POST /v1/organisations/{id}/oid4vp/requests`: an OpenID4VP presentation request from a DCQL query. */
export const createVpRequestRequest = z.strictObject({
  /** A DCQL query (OpenID4VP 1.0 §6) for dc+sd-jwt and jwt_vc_json credentials. */
  dcql: z.record(z.string(), z.unknown()),
  /** How long the request can be answered, seconds (default 300). */
  ttlSeconds: z.number().int().min(30).max(3600).optional(),
  /** `direct_post` (default) or `direct_post.jwt`: the response encrypted to this request's key (JWE, ECDH-ES). */
  responseMode: z.enum(['direct_post', 'direct_post.jwt']).optional(),
})
export type CreateVpRequestRequest = z.infer<typeof createVpRequestRequest>

/** `POST /v1/organisations/{id}/credentials/{credentialId}/status` */
export const statusChangeRequest = z.strictObject({ action: z.enum(['revoke', 'suspend', 'reinstate']) })

/** `POST /v1/organisations/{id}/presentation-requests`: a nonce for a presentation to this verifier. */
export const presentationRequestRequest = z.strictObject({
  ttlSeconds: z.number().int().min(30).max(600).optional(),
})

/** `POST /v1/verify/presentation` */
export const verifyPresentationRequest = z.strictObject({
  // Under the 64 KiB body limit, with room for the other fields.
  presentation: z.string().min(1).max(60_000),
  verifier: z.string().min(1).max(64),
  nonce: z.string().min(16).max(128),
  /** The secret returned with the nonce: only the party that asked for the presentation can have it verified. */
  requestSecret: z.string().min(16).max(128),
})

/** `POST /v1/verify` */
export const verifyRequest = z.strictObject({
  credential: z.string().min(1).max(65536),
  verifier: z.string().min(1).max(64).optional(),
})
export type VerifyRequest = z.infer<typeof verifyRequest>

/** Most credentials in one `POST /v1/organisations/{id}/verify/batch` (its body may be up to 4 MiB). */
export const MAX_BATCH_CREDENTIALS = 1000

/** `POST /v1/organisations/{id}/verify/batch`: JWT-VCs, each verified on its own (fails closed alone). */
export const verifyBatchRequest = z.strictObject({
  credentials: z.array(z.string().min(1).max(65536)).min(1).max(MAX_BATCH_CREDENTIALS),
})
export type VerifyBatchRequest = z.infer<typeof verifyBatchRequest>

/** `POST /v1/organisations/{id}/trust` */
export const trustEntryRequest = z.strictObject({
  issuer: didSchema,
  types: z
    .array(z.enum(['ClinicianLicenseCredential', 'PatientIdentityCredential', 'AccessGrantCredential']))
    .min(1)
    .max(3),
})
export type TrustEntryRequest = z.infer<typeof trustEntryRequest>

/** `POST /v1/organisations/{id}/audit/verify`: signed checkpoints kept elsewhere, to check the trail against too. */
export const verifyAuditRequest = z.strictObject({
  checkpoints: z.array(z.string().min(1).max(4096)).max(100).optional(),
})
export type VerifyAuditRequest = z.infer<typeof verifyAuditRequest>

/** `POST /v1/organisations/{id}/access/requests`: a clinician asks for a patient's records. */
export const accessRequestRequest = z.strictObject({
  /** The patient's DID: the issuer of their grant, the subject of their identity credential. */
  patient: z.string().min(8).max(200),
  /** An emergency (PurposeOfUse BTG): no grant asked for; the reason is recorded and shown to the patient. */
  emergency: z.strictObject({ reason: z.string().min(1).max(500) }).optional(),
})
export type AccessRequestRequest = z.infer<typeof accessRequestRequest>

/** `POST /v1/organisations/{id}/access/token`: the token of a permitted access request (DPoP-bound). */
export const accessTokenRequest = z.strictObject({ requestId: z.string().min(1).max(64) })
export type AccessTokenRequest = z.infer<typeof accessTokenRequest>

/** `POST /v1/organisations/{id}/patients`: register a patient (identity claims, optional FHIR records). */
export const registerPatientRequest = z.strictObject({
  claims: z.record(z.string(), z.unknown()),
  /** FHIR R4 resources of the patient (Condition, Observation, …), validated. */
  records: z.array(z.unknown()).max(500).optional(),
  /** Demo agents only: add generated, clearly synthetic records. */
  syntheticRecords: z.boolean().optional(),
  validUntil: z.iso.datetime({ offset: true }).optional(),
})
export type RegisterPatientRequest = z.infer<typeof registerPatientRequest>

/** `PUT /v1/organisations/{id}/patients/{patientId}/records`: add or replace FHIR records. */
export const putRecordsRequest = z.strictObject({ resources: z.array(z.unknown()).min(1).max(500) })
export type PutRecordsRequest = z.infer<typeof putRecordsRequest>

/** `PUT /v1/organisations/{id}/inbox/{did}/key`: the DID holder's signed statement of their P-256 inbox key. */
export const inboxKeyRequest = z.strictObject({ binding: z.string().min(20).max(4096) })
export type InboxKeyRequest = z.infer<typeof inboxKeyRequest>

/** `POST /v1/organisations/{id}/inbox/{did}`: a compact JWE (ECDH-ES) for the DID's holder. */
export const deliverRequest = z.strictObject({
  jwe: z.string().min(20).max(65_536),
  /** The sender: a patient of this hospital, proving their DID's key with the request's DPoP proof. */
  from: z.string().min(8).max(200),
})
export type DeliverRequest = z.infer<typeof deliverRequest>
