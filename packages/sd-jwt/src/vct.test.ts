import { describe, expect, it } from 'vitest'
import { DEFAULT_DISCLOSABLE, NEVER_DISCLOSABLE } from './disclosable'
import { credentialTypeOfVct, SD_JWT_VC_TYP, vctFor } from './vct'

describe('vct', () => {
  it('names each credential type and maps it back', () => {
    expect(SD_JWT_VC_TYP).toBe('dc+sd-jwt')
    for (const type of [
      'ClinicianLicenseCredential',
      'PatientIdentityCredential',
      'AccessGrantCredential',
    ] as const) {
      expect(vctFor(type)).toBe(`urn:clavis:vct:${type}:1`)
      expect(credentialTypeOfVct(vctFor(type))).toBe(type)
    }
  })

  it('knows no other vct', () => {
    for (const vct of [
      '',
      'urn:clavis:vct:AccessGrantCredential:2',
      'AccessGrantCredential',
      'urn:clavis:vct:toString:1',
    ])
      expect(credentialTypeOfVct(vct)).toBeUndefined()
  })
})

describe('disclosable claims', () => {
  it('never overlap with the claims that must stay visible', () => {
    expect(NEVER_DISCLOSABLE).toEqual([
      'iss',
      'sub',
      'iat',
      'nbf',
      'exp',
      'cnf',
      'status',
      'vct',
      'vct#integrity',
      'aka_vcts',
      'jti',
      'aud',
    ])
    for (const names of Object.values(DEFAULT_DISCLOSABLE))
      expect(names.filter((n) => NEVER_DISCLOSABLE.includes(n))).toEqual([])
    expect(Object.isFrozen(NEVER_DISCLOSABLE)).toBe(true)
    expect(Object.isFrozen(DEFAULT_DISCLOSABLE.PatientIdentityCredential)).toBe(true)
  })
})
