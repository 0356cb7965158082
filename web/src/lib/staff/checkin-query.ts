/**
 * The hospital desk's check-in form as a DCQL query (OpenID4VP 1.0 §6): the claims staff ask for,
 * each required or optional. Optional claims go through claim sets — the first set has every claim,
 * the last only the required ones — so a wallet may leave optional ones out and still answer.
 */
import { DEFAULT_DISCLOSABLE, vctFor } from '@clavis/sd-jwt'

export type AskedType = 'PatientIdentityCredential' | 'ClinicianLicenseCredential' | 'AccessGrantCredential'

export interface AskedClaimChoice {
  name: string
  ask: 'required' | 'optional' | 'no'
}

/** What a patient may disclose of an identity credential: its selectively disclosable claims. */
export const IDENTITY_CLAIMS = DEFAULT_DISCLOSABLE.PatientIdentityCredential
export const LICENCE_CLAIMS = [
  'name',
  'profession',
  'licenseNumber',
  'jurisdiction',
  'specialty',
  'npi',
] as const
export const GRANT_CLAIMS = ['audience', 'scope', 'purposeOfUse', 'records'] as const

export class EmptyQueryError extends Error {
  readonly code = 'empty_query'
  constructor() {
    super('Ask for at least one claim, and make at least one of them required.')
  }
}

/** One credential query in both formats the wallet may hold (SD-JWT VC preferred). */
export function checkInQuery(o: {
  type: AskedType
  claims: AskedClaimChoice[]
  id?: string
}): Record<string, unknown> {
  const asked = o.claims.filter((c) => c.ask !== 'no')
  const required = asked.filter((c) => c.ask === 'required')
  if (required.length === 0) throw new EmptyQueryError()
  const id =
    o.id ??
    {
      PatientIdentityCredential: 'identity',
      ClinicianLicenseCredential: 'licence',
      AccessGrantCredential: 'grant',
    }[o.type]
  const claims = asked.map((c) => ({ id: c.name, path: [c.name] }))
  const optional = asked.length > required.length
  return {
    credentials: [
      {
        id,
        format: 'dc+sd-jwt',
        meta: { vct_values: [vctFor(o.type)] },
        claims,
        ...(optional ? { claim_sets: [asked.map((c) => c.name), required.map((c) => c.name)] } : {}),
      },
    ],
  }
}
