import { z } from 'zod'
import { checkResultSchema } from './verification'

/** `POST /v1/organisations/{id}/oid4vp/requests`: an OpenID4VP request to show as QR code or link. */
export const createdVpRequestResponse = z.object({
  id: z.string(),
  /** `openid4vp://?client_id=…&request_uri=…` */
  requestUri: z.string(),
  /** `decentralized_identifier:<the verifier's DID>` */
  clientId: z.string(),
  expiresAt: z.string(),
})
export type CreatedVpRequestResponse = z.infer<typeof createdVpRequestResponse>

/** One verified presentation of a response: every check and only the claims the query asked for. */
export const vpPresentationResultSchema = z.object({
  valid: z.boolean(),
  format: z.string(),
  holder: z.string().optional(),
  checks: z.object({
    signature: checkResultSchema,
    holderBinding: checkResultSchema,
    nonceAudience: checkResultSchema,
  }),
  credentials: z.array(
    z.object({
      valid: z.boolean(),
      type: z.string().optional(),
      issuer: z.string().optional(),
      id: z.string().optional(),
      validUntil: z.string().optional(),
      checks: z.record(z.string(), checkResultSchema),
    }),
  ),
  claims: z.record(z.string(), z.unknown()),
})

/** `GET /v1/organisations/{id}/oid4vp/requests/{requestId}`: the request and, once answered, its result. */
export const vpRequestStatusResponse = z.object({
  id: z.string(),
  state: z.enum(['pending', 'responded', 'expired']),
  createdAt: z.string(),
  expiresAt: z.string(),
  result: z
    .object({
      valid: z.boolean(),
      dcqlSatisfied: z.boolean(),
      receivedAt: z.string(),
      presentations: z.record(z.string(), z.array(vpPresentationResultSchema)),
    })
    .optional(),
})
export type VpRequestStatusResponse = z.infer<typeof vpRequestStatusResponse>
