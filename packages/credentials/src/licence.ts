import { z } from 'zod'
import { coding, humanName, refineString, text } from './fhir'
import { isValidNpi } from './npi'

/** ISO 3166-2 subdivision code, e.g. `US-CA`, `GB-ENG`, `DE-BY`. */
const jurisdiction = z
  .string()
  .max(6)
  .regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, 'Must be an ISO 3166-2 subdivision code such as "US-CA".')

const npi = refineString(z.string().max(10), (value) => {
  if (!/^\d{10}$/.test(value)) return { code: 'invalid_format', message: 'An NPI is exactly 10 digits.' }
  if (!isValidNpi(value))
    return { code: 'invalid_check_digit', message: 'The NPI check digit is wrong; check the number.' }
  return undefined
})

/** Claims of a ClinicianLicenseCredential (maps to FHIR `Practitioner.qualification`), without `id`. */
export const clinicianLicenseClaims = z.strictObject({
  name: humanName,
  profession: coding,
  licenseNumber: text(64).regex(/^[A-Za-z0-9\-./]+$/, 'Use only letters, digits, "-", "." and "/".'),
  jurisdiction,
  specialty: z.array(coding).min(1).max(16),
  npi: npi.optional(),
})

/** The claims of a ClinicianLicenseCredential. */
export type ClinicianLicenseClaims = z.infer<typeof clinicianLicenseClaims>
