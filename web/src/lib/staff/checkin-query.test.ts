import { DcqlQuery } from 'dcql'
import { describe, expect, it } from 'vitest'
import { checkInQuery, EmptyQueryError } from './checkin-query'

describe('check-in DCQL from the desk form', () => {
  it('required and optional claims become claim sets the dcql library accepts', () => {
    const query = checkInQuery({
      type: 'PatientIdentityCredential',
      claims: [
        { name: 'name', ask: 'required' },
        { name: 'birthDate', ask: 'optional' },
        { name: 'address', ask: 'no' },
      ],
    })
    const parsed = DcqlQuery.parse(query as never)
    DcqlQuery.validate(parsed)
    expect(query).toMatchObject({
      credentials: [
        {
          id: 'identity',
          format: 'dc+sd-jwt',
          meta: { vct_values: ['urn:clavis:vct:PatientIdentityCredential:1'] },
          claims: [
            { id: 'name', path: ['name'] },
            { id: 'birthDate', path: ['birthDate'] },
          ],
          claim_sets: [['name', 'birthDate'], ['name']],
        },
      ],
    })
  })

  it('only required claims: no claim sets; nothing required: refused', () => {
    const q = checkInQuery({
      type: 'ClinicianLicenseCredential',
      claims: [{ name: 'licenseNumber', ask: 'required' }],
    })
    expect((q.credentials as { claim_sets?: unknown }[])[0]!.claim_sets).toBeUndefined()
    expect(() =>
      checkInQuery({ type: 'PatientIdentityCredential', claims: [{ name: 'name', ask: 'optional' }] }),
    ).toThrow(EmptyQueryError)
  })
})
