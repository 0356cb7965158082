import { z } from 'zod'
import { createdOfferResponse } from './offers'

/** A patient of a hospital: the FHIR Patient id, and the DID their identity credential was issued to (once redeemed). */
export const registeredPatientSchema = z.object({
  id: z.string(),
  did: z.string().nullable(),
  createdAt: z.string(),
})
export type RegisteredPatientResponse = z.infer<typeof registeredPatientSchema>

export const patientListResponse = z.object({ patients: z.array(registeredPatientSchema) })

/** `POST /v1/organisations/{id}/patients`: the patient and their identity credential offer. */
export const registeredPatientResponse = z.object({
  patient: registeredPatientSchema,
  offer: createdOfferResponse,
})

/** `PUT …/patients/{patientId}/records`: `Type/id` of each resource stored. */
export const storedRecordsResponse = z.object({ stored: z.array(z.string()) })

/** `POST /v1/organisations/{id}/access/requests`: the OpenID4VP request to answer from the wallet, and the asker's secret. */
export const createdAccessRequestResponse = z.object({
  id: z.string(),
  requestUri: z.string(),
  expiresAt: z.string(),
  /** Send as `Authorization: Bearer <secret>` to read the decision and take the token. */
  secret: z.string(),
})

const policyCheck = z.object({ passed: z.boolean(), code: z.string().optional() })

/** `GET /v1/organisations/{id}/access/requests/{requestId}`: waiting, decided (permitted or why not), or expired. */
export const accessRequestStatusResponse = z.object({
  id: z.string(),
  status: z.enum(['pending', 'decided', 'expired']),
  emergency: z.boolean(),
  expiresAt: z.string(),
  decision: z
    .discriminatedUnion('permitted', [
      z.object({
        permitted: z.literal(true),
        clinicianDid: z.string(),
        patientId: z.string(),
        scopes: z.array(z.string()),
        purposeOfUse: z.string(),
        checks: z.record(z.string(), policyCheck),
        sessionEndsAt: z.string(),
      }),
      z.object({
        permitted: z.literal(false),
        reason: z.string(),
        message: z.string(),
        checks: z.record(z.string(), policyCheck),
      }),
    ])
    .optional(),
})
export type AccessRequestStatusResponse = z.infer<typeof accessRequestStatusResponse>

/** `POST /v1/organisations/{id}/access/token` (RFC 6749 §5.1 with RFC 9449 DPoP and the SMART `patient` context). */
export const accessTokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('DPoP'),
  expires_in: z.number().int(),
  scope: z.string(),
  patient: z.string(),
  purpose_of_use: z.string(),
  session_ends_at: z.string(),
})
export type AccessTokenResponseBody = z.infer<typeof accessTokenResponse>

/** A DID holder's inbox key statement (a JWT by the DID's key; check its signature before encrypting to it). */
export const inboxKeyResponse = z.object({ did: z.string(), binding: z.string() })

export const deliveredResponse = z.object({ id: z.string(), expiresAt: z.string() })

export const inboxResponse = z.object({
  messages: z.array(
    z.object({ id: z.string(), jwe: z.string(), createdAt: z.string(), expiresAt: z.string() }),
  ),
})

export const removedResponse = z.object({ removed: z.literal(true) })

/** `GET /v1/organisations/{id}/access-report/{did}`: who accessed the patient's records, newest first. */
export const accessReportResponse = z.object({
  patientId: z.string(),
  entries: z.array(
    z.object({
      seq: z.number().int(),
      at: z.string(),
      kind: z.enum(['access.decided', 'access.break_glass', 'record.read']),
      clinicianDid: z.string().optional(),
      purposeOfUse: z.string().optional(),
      breakGlass: z.boolean(),
      permitted: z.boolean().optional(),
      reason: z.string().optional(),
      emergencyReason: z.string().optional(),
      until: z.string().optional(),
      interaction: z.enum(['read', 'search']).optional(),
      resourceType: z.string().optional(),
      resources: z.array(z.string()).optional(),
    }),
  ),
  /** A checkpoint of the hospital's trail signed now: keep it. */
  checkpoint: z.object({ size: z.number().int(), head: z.string(), jwt: z.string(), at: z.string() }),
})
export type AccessReportResponse = z.infer<typeof accessReportResponse>
