import { describe, expect, it } from 'vitest'
import { grantClaims } from '../test/kits/claims'
import { checkClaims } from './check-claims'
import type { CredentialType } from './credential-types'

describe('checkClaims', () => {
  it('returns the parsed claims typed for the credential type', () => {
    const result = checkClaims({ type: 'AccessGrantCredential', claims: grantClaims() })
    expect(result.ok).toBe(true)
    if (result.ok) expect(result.value.purposeOfUse).toBe('TREAT')
  })

  it('refuses an unknown credential type without throwing', () => {
    const type = 'VerifiableCredential' as CredentialType
    expect(checkClaims({ type, claims: grantClaims() })).toMatchObject({
      ok: false,
      error: [{ path: 'type', code: 'unknown_type' }],
    })
  })

  it('refuses claims of another type', () => {
    const result = checkClaims({ type: 'ClinicianLicenseCredential', claims: grantClaims() })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.map((issue) => issue.code)).toContain('unknown_field')
  })

  it('gives every issue a message', () => {
    const result = checkClaims({ type: 'AccessGrantCredential', claims: { scope: 'x', extra: 1 } })
    expect(result.ok).toBe(false)
    if (!result.ok) for (const issue of result.error) expect(issue.message.length).toBeGreaterThan(0)
  })
})
