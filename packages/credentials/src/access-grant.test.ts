import { describe, expect, it } from 'vitest'
import { grantClaims } from '../test/kits/claims'
import { checkClaims } from './check-claims'

function issues(claims: unknown) {
  const result = checkClaims({ type: 'AccessGrantCredential', claims })
  return result.ok ? [] : result.error.map(({ path, code }) => ({ path, code }))
}

describe('AccessGrantCredential claims', () => {
  it('accepts good claims, with or without records', () => {
    expect(issues(grantClaims())).toEqual([])
    const { records: _records, ...claims } = grantClaims()
    expect(issues(claims)).toEqual([])
  })

  it.each([
    'patient/Observation.rs',
    'user/Patient.cruds',
    'system/*.r',
    'patient/MedicationRequest.c',
    'user/Encounter.ds',
  ])('accepts scope %s', (scope) => {
    expect(issues({ ...grantClaims(), scope: [scope] })).toEqual([])
  })

  it.each([
    'patient/Observation.',
    'patient/Observation.sr',
    'patient/Observation.read',
    'patient/Observation.*',
    'patient/observation.r',
    'admin/Observation.r',
    'patient/Observation.rs?category=laboratory',
    'launch/patient',
    'openid',
    ' patient/Observation.r',
  ])('refuses scope %j', (scope) => {
    expect(issues({ ...grantClaims(), scope: [scope] })).toEqual([
      { path: 'scope.0', code: 'invalid_format' },
    ])
  })

  it('refuses no scope and more than 32 scopes', () => {
    expect(issues({ ...grantClaims(), scope: [] })).toEqual([{ path: 'scope', code: 'too_short' }])
    const scope = Array.from({ length: 33 }, () => 'patient/Observation.r')
    expect(issues({ ...grantClaims(), scope })).toEqual([{ path: 'scope', code: 'too_long' }])
  })

  it('refuses an unknown purpose of use', () => {
    for (const purposeOfUse of ['MARKETING', 'treat', 'HMARKT', ''])
      expect(issues({ ...grantClaims(), purposeOfUse })).toEqual([
        { path: 'purposeOfUse', code: 'invalid_value' },
      ])
  })

  it('refuses an audience that is not a DID', () => {
    for (const audience of ['https://hospital.example.org', 'did:web:hospital.example.org#key-1'])
      expect(issues({ ...grantClaims(), audience })).toEqual([{ path: 'audience', code: 'invalid_format' }])
  })

  it('refuses bad record references and too many records', () => {
    expect(issues({ ...grantClaims(), records: ['Observation/abc-123', '../Patient/1'] })).toEqual([
      { path: 'records.1', code: 'invalid_format' },
    ])
    expect(issues({ ...grantClaims(), records: ['https://fhir.example.org/Observation/1'] })).toEqual([
      { path: 'records.0', code: 'invalid_format' },
    ])
    const records = Array.from({ length: 65 }, (_, i) => `Observation/${i}`)
    expect(issues({ ...grantClaims(), records })).toEqual([{ path: 'records', code: 'too_long' }])
  })

  it('refuses unknown fields', () => {
    expect(issues({ ...grantClaims(), expires: '2099-01-01' })).toEqual([
      { path: 'expires', code: 'unknown_field' },
    ])
  })
})
