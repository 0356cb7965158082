import { describe, expect, it } from 'vitest'
import { checkValidityPeriod, readValidityWindow, windowDates } from './checkValidityPeriod'

const now = new Date('2030-06-01T12:00:00Z')
const t = now.getTime() / 1000
/** Reads the window as a JWT-VC states it and judges it: the outcome (`result`) and the window's dates. */
const check = (
  claims: Record<string, unknown>,
  type: Parameters<typeof checkValidityPeriod>[0]['type'] = 'ClinicianLicenseCredential',
) => {
  const vc = (claims.vc ?? {}) as Record<string, unknown>
  const window = readValidityWindow({
    nbf: claims.nbf,
    iat: claims.iat,
    exp: claims.exp,
    starts: { issuanceDate: claims.issuanceDate, 'vc.issuanceDate': vc.issuanceDate },
    ends: { expirationDate: claims.expirationDate, 'vc.expirationDate': vc.expirationDate },
  })
  if (!window.ok) return { result: window }
  const result = checkValidityPeriod({ window: window.value, type, now, clockSkewSeconds: 30 })
  return { result, ...windowDates(window.value) }
}

describe('checkValidityPeriod', () => {
  it('passes inside the window and reports it', () => {
    expect(check({ nbf: t - 3600, exp: t + 3600 })).toEqual({
      result: { ok: true, value: undefined },
      validFrom: '2030-06-01T11:00:00.000Z',
      validUntil: '2030-06-01T13:00:00.000Z',
    })
  })

  it('allows the clock skew at both ends, and no more', () => {
    expect(check({ nbf: t + 30, exp: t + 3600 }).result.ok).toBe(true)
    expect(check({ nbf: t + 31, exp: t + 3600 }).result).toMatchObject({ error: { code: 'not_yet_valid' } })
    expect(check({ nbf: t - 3600, exp: t - 29 }).result.ok).toBe(true)
    expect(check({ nbf: t - 3600, exp: t - 30 }).result).toMatchObject({ error: { code: 'expired' } })
  })

  it('requires an expiry on licences, grants and unknown types, not on patient identity', () => {
    expect(check({ nbf: t }).result).toMatchObject({ error: { code: 'missing_expiry' } })
    expect(check({ nbf: t }, 'AccessGrantCredential').result).toMatchObject({
      error: { code: 'missing_expiry' },
    })
    expect(check({ nbf: t }, undefined).result).toMatchObject({ error: { code: 'missing_expiry' } })
    expect(check({ nbf: t }, 'PatientIdentityCredential').result).toEqual({ ok: true, value: undefined })
  })

  it('uses the tightest window when the VC dates and JWT claims disagree', () => {
    expect(
      check({ nbf: t - 7200, exp: t + 3600, vc: { expirationDate: '2030-06-01T11:00:00Z' } }).result,
    ).toMatchObject({ error: { code: 'expired' } })
    expect(
      check({ nbf: t - 60, exp: t + 7 * 86400, vc: { issuanceDate: '2030-06-02T00:00:00Z' } }).result,
    ).toMatchObject({ error: { code: 'not_yet_valid' } })
    expect(check({ iat: t + 3600, exp: t + 7200 }).result).toMatchObject({ error: { code: 'not_yet_valid' } })
  })

  it('accepts VC dates alone as the window', () => {
    expect(
      check({ issuanceDate: '2030-01-01T00:00:00Z', expirationDate: '2031-01-01T00:00:00Z' }).result,
    ).toEqual({ ok: true, value: undefined })
  })

  it('reads the same claims whatever the format: NumericDates only (SD-JWT VC)', () => {
    const window = readValidityWindow({ nbf: t - 60, iat: t - 120, exp: t + 60 })
    expect(window.ok && windowDates(window.value)).toEqual({
      validFrom: '2030-06-01T11:59:00.000Z',
      validUntil: '2030-06-01T12:01:00.000Z',
    })
    expect(readValidityWindow({ exp: '2031-01-01' })).toMatchObject({ error: { code: 'malformed' } })
  })

  it('refuses unreadable or inverted dates as malformed', () => {
    expect(check({ exp: t + 60, vc: { issuanceDate: 'yesterday' } }).result).toMatchObject({
      error: { code: 'malformed' },
    })
    expect(check({ exp: t + 60, vc: { expirationDate: '2031-01-01' } }).result).toMatchObject({
      error: { code: 'malformed' },
    })
    expect(check({ exp: 1e20 }).result).toMatchObject({ error: { code: 'malformed' } })
    expect(check({ nbf: t + 60, exp: t - 60 }).result).toMatchObject({ error: { code: 'malformed' } })
  })
})
