import { z } from 'zod'
import type { Problem } from './fhir'
import { address, humanName, identifier, refineString, text } from './fhir'

/** Identity assurance levels (NIST SP 800-63A) reached at registration. */
export const IDENTITY_ASSURANCE_LEVELS = Object.freeze(['IAL1', 'IAL2', 'IAL3'] as const)

// A birth date may be "today" in a time zone up to 14 hours ahead of UTC.
const MAX_ZONE_AHEAD_MS = 14 * 60 * 60 * 1000

/** Checks a FHIR `date` (YYYY-MM-DD) is a real calendar date between 1900-01-01 and today. */
export function birthDateProblem(value: string, now: Date = new Date()): Problem | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!match) return { code: 'invalid_format', message: 'Must be a date in the form YYYY-MM-DD.' }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return { code: 'invalid_date', message: 'Not a real calendar date.' }
  const latest = new Date(now.getTime() + MAX_ZONE_AHEAD_MS).toISOString().slice(0, 10)
  if (year < 1900 || value > latest)
    return { code: 'out_of_range', message: 'Must be between 1900-01-01 and today.' }
  return undefined
}

/** Claims of a PatientIdentityCredential (maps to FHIR `Patient`), without `id`. */
export const patientIdentityClaims = z.strictObject({
  name: humanName,
  birthDate: refineString(z.string().max(10), (value) => birthDateProblem(value)),
  identifier,
  insuranceMemberId: text(64).optional(),
  address: address.optional(),
  identityAssuranceLevel: z.enum(IDENTITY_ASSURANCE_LEVELS),
})

/** The claims of a PatientIdentityCredential. */
export type PatientIdentityClaims = z.infer<typeof patientIdentityClaims>
