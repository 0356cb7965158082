import { type CredentialType, checkCredential } from '@clavis/credentials'
import { fail, ok } from '@clavis/crypto'
import type { CheckOutcome } from './types'

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** Renders an issue path (a string or a list of keys) for a reason. */
function formatPath(path: unknown): string {
  if (Array.isArray(path)) return path.length === 0 ? '(root)' : path.map(String).join('.')
  if (typeof path === 'string' && path.length > 0) return path
  return '(root)'
}

/**
 * JWT-VC: checks the W3C credential against the schema of its credential type with
 * `checkCredential` from `@clavis/credentials` — a VC 1.1 JWT's claims set normalised by did-jwt-vc's
 * `normalizeCredential`, a VC 2.0 `vc+jwt` as its claims set. `credential` gives it (and may
 * throw). Gives `schema_invalid` with the first issue's path in the reason, also when the type is
 * missing or ambiguous or the credential cannot be read. Never throws.
 *
 * @example
 * checkSchema({ credential: () => normalizeCredential(payload), type: 'ClinicianLicenseCredential' }) // { ok: true, value: undefined }
 */
export function checkSchema(options: {
  credential: () => unknown
  type: CredentialType | undefined
}): CheckOutcome {
  const { type } = options
  const invalid = (reason: string) => fail('schema_invalid', reason)
  if (type === undefined) {
    return invalid(
      'The credential type must include exactly one of ClinicianLicenseCredential, PatientIdentityCredential or AccessGrantCredential.',
    )
  }
  let credential: unknown
  try {
    credential = options.credential()
  } catch (error) {
    return invalid(`The credential could not be normalised to a W3C credential: ${describe(error)}`)
  }
  try {
    const checked = checkCredential({ credential } as Parameters<typeof checkCredential>[0])
    if (!checked.ok) {
      const [first] = checked.error
      if (!first) return invalid(`The ${type} does not match its schema.`)
      return invalid(`The ${type} does not match its schema at ${formatPath(first.path)}: ${first.message}`)
    }
    if (checked.value.type !== type) {
      return invalid(`The credential was checked as ${checked.value.type}, but its type list names ${type}.`)
    }
    return ok()
  } catch (error) {
    return invalid(`The ${type} could not be checked against its schema: ${describe(error)}`)
  }
}
