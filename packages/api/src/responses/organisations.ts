import { z } from 'zod'
import { organisationKindSchema } from '../schemas'

/** Whether an organisation's DID can still change and sign. */
export const organisationStatusSchema = z.enum(['active', 'deactivated'])

/** An organisation as the API shows it. */
export const organisationSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: organisationKindSchema,
  did: z.string(),
  status: organisationStatusSchema,
  createdAt: z.string(),
})
export type Organisation = z.infer<typeof organisationSchema>

/** `GET /v1/me`: the operator, or the staff of one organisation. */
export const meResponse = z.discriminatedUnion('role', [
  z.object({ role: z.literal('admin') }),
  z.object({ role: z.literal('staff'), organisation: organisationSchema }),
])
export type MeResponse = z.infer<typeof meResponse>

/** `GET /v1/organisations`, oldest first. */
export const organisationListResponse = z.object({ organisations: z.array(organisationSchema) })

/** `POST /v1/organisations`: the organisation and its staff token, shown this once. */
export const createdOrganisationResponse = z.object({ organisation: organisationSchema, token: z.string() })

/** `POST /v1/organisations/{id}/token`: the new staff token, shown this once. */
export const staffTokenResponse = z.object({ token: z.string() })
