import { describe, expect, it } from 'vitest'
import { trustListPolicy } from './trustListPolicy'

const board = 'did:ethr:0x539:0x00000000000000000000000000000000000000aa'

describe('trustListPolicy', () => {
  it('trusts an issuer for exactly the listed types', () => {
    const trust = trustListPolicy([{ issuer: board, types: ['ClinicianLicenseCredential'] }])
    expect(trust.isTrusted({ issuer: board, type: 'ClinicianLicenseCredential' })).toBe(true)
    expect(trust.isTrusted({ issuer: board, type: 'AccessGrantCredential' })).toBe(false)
    expect(trust.isTrusted({ issuer: board.toUpperCase(), type: 'ClinicianLicenseCredential' })).toBe(false)
  })

  it('merges entries for the same issuer and ignores later changes to the input', () => {
    const entries = [
      { issuer: board, types: ['ClinicianLicenseCredential'] as const },
      { issuer: board, types: ['PatientIdentityCredential'] as const },
    ]
    const trust = trustListPolicy(entries)
    entries.length = 0
    expect(trust.isTrusted({ issuer: board, type: 'PatientIdentityCredential' })).toBe(true)
    expect(trust.isTrusted({ issuer: board, type: 'ClinicianLicenseCredential' })).toBe(true)
  })

  it('trusts nobody when empty', () => {
    expect(trustListPolicy([]).isTrusted({ issuer: board, type: 'ClinicianLicenseCredential' })).toBe(false)
  })
})
