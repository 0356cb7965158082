import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inDays, patientClaims, startTestAgent, type TestAgent } from './harness'
import { holderKey } from './holders'

// Issuance refuses, before anything is stored, dates that a credential format cannot carry or that
// policy forbids; an identity credential without an end gets the default validity.

describe('issuance refuses dates that any format cannot carry or policy forbids (422, nothing stored)', () => {
  let t: TestAgent
  const patient = holderKey()
  beforeAll(async () => {
    t = await startTestAgent()
  })
  afterAll(async () => {
    await t?.stop()
  })

  const cases: [string, Record<string, unknown>, string][] = [
    ['validUntil in year 9999', { validUntil: '9999-12-31T23:59:59Z' }, 'validUntil'],
    ['validUntil eleven years ahead', { validUntil: inDays(11 * 366) }, 'validUntil'],
    ['validUntil in the past', { validUntil: inDays(-1), validFrom: inDays(-30) }, 'validUntil'],
    ['validFrom in year 0001', { validFrom: '0001-01-01T00:00:00Z' }, 'validFrom'],
    ['validFrom two years ahead', { validFrom: inDays(730), validUntil: inDays(800) }, 'validFrom'],
  ]
  for (const format of ['jwt_vc', 'dc+sd-jwt'] as const) {
    it.each(cases)(`${format}: %s`, async (_name, dates, path) => {
      const before = (
        await t.request('GET', `/v1/organisations/${t.hospital.id}/credentials`, { token: t.hospital.token })
      ).body.total
      const res = await t.request('POST', `/v1/organisations/${t.hospital.id}/credentials`, {
        token: t.hospital.token,
        body: {
          type: 'PatientIdentityCredential',
          subject: patient.did,
          claims: patientClaims(),
          validUntil: inDays(365),
          ...(format === 'dc+sd-jwt' ? { format, holderJwk: patient.jwk } : {}),
          ...dates,
        },
      })
      expect(res.status, JSON.stringify(res.body)).toBe(422)
      expect(res.body).toMatchObject({ code: 'invalid_claims', path })
      const after = (
        await t.request('GET', `/v1/organisations/${t.hospital.id}/credentials`, { token: t.hospital.token })
      ).body.total
      expect(after).toBe(before)
    })
  }

  it('an identity credential without validUntil is valid for five years', async () => {
    const res = await t.request('POST', `/v1/organisations/${t.hospital.id}/credentials`, {
      token: t.hospital.token,
      body: { type: 'PatientIdentityCredential', subject: patient.did, claims: patientClaims() },
    })
    expect(res.status).toBe(201)
    const days = (Date.parse(res.body.validUntil) - Date.parse(res.body.validFrom)) / 86_400_000
    expect(days).toBe(1826)
  })
})
