import { z } from 'zod'
import { isDid } from './did'
import { refineString } from './fhir'

/** HL7 v3 PurposeOfUse codes a grant may name; any other is refused. */
export const PURPOSES_OF_USE = Object.freeze([
  'TREAT',
  'ETREAT',
  'HPAYMT',
  'HOPERAT',
  'PATRQT',
  'FAMRQT',
  'PWATRNY',
  'SUPNWK',
  'CAREMGT',
  'HRESCH',
  'PUBHLTH',
] as const)

/** SMART on FHIR v2 scope: context/resource.permissions, permissions non-empty and in `cruds` order. */
const SMART_SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]{1,63})\.(?=[cruds])c?r?u?d?s?$/

/** FHIR relative reference such as `Observation/abc-123`. */
const RELATIVE_REFERENCE = /^[A-Z][A-Za-z]{1,63}\/[A-Za-z0-9\-.]{1,64}$/

const audience = refineString(z.string(), (value) =>
  isDid(value) ? undefined : { code: 'invalid_format', message: 'Must be a DID such as "did:ethr:0x…".' },
)

const scope = z
  .string()
  .max(80)
  .regex(
    SMART_SCOPE,
    'Must be a SMART v2 scope such as "patient/Observation.rs" (permissions in cruds order).',
  )

const record = z
  .string()
  .max(129)
  .regex(RELATIVE_REFERENCE, 'Must be a FHIR relative reference such as "Observation/abc-123".')

/** Claims of an AccessGrantCredential, without `id` (the grantee). */
export const accessGrantClaims = z.strictObject({
  audience,
  scope: z.array(scope).min(1).max(32),
  purposeOfUse: z.enum(PURPOSES_OF_USE),
  records: z.array(record).max(64).optional(),
})

/** The claims of an AccessGrantCredential. */
export type AccessGrantClaims = z.infer<typeof accessGrantClaims>
