import { setTimeout as sleep } from 'node:timers/promises'
import { MAX_BATCH_CREDENTIALS } from '@clavis/api'
import { beforeAll, describe, expect, it } from 'vitest'
import { expectError } from './api'
import { CLINICIAN_DID, inDays, licenceClaims, useTestAgent } from './harness'

// Batch re-verification (POST /v1/organisations/{id}/verify/batch) against a real agent: the
// workers give every credential the envelope POST /v1/verify gives it, in order, each failing
// closed on its own — after revocation, suspension and a board's compromise rotation too.

const t = useTestAgent()
/** A second board the hospital trusts, and one it does not. */
let second: { id: string; did: string; token: string }
let stranger: { id: string; did: string; token: string }

const board = (name: string) => async () => {
  const res = await t.request('POST', '/v1/organisations', { token: t.admin, body: { name, kind: 'board' } })
  expect(res.status).toBe(201)
  return { ...res.body.organisation, token: res.body.token } as { id: string; did: string; token: string }
}
const issue = async (by: { id: string; token: string }) => {
  const res = await t.request('POST', `/v1/organisations/${by.id}/credentials`, {
    token: by.token,
    body: {
      type: 'ClinicianLicenseCredential',
      subject: CLINICIAN_DID,
      claims: licenceClaims(),
      validUntil: inDays(90),
    },
  })
  expect(res.status).toBe(201)
  return res.body as { id: string; jwt: string }
}
const batch = (credentials: unknown, token = t.hospital.token, id = t.hospital.id) =>
  t.request('POST', `/v1/organisations/${id}/verify/batch`, { token, body: { credentials } })
const single = async (credential: string) => {
  const res = await t.request('POST', '/v1/verify', { body: { credential, verifier: t.hospital.id } })
  expect(res.status).toBe(200)
  const { verifier: _, ...envelope } = res.body
  return envelope
}

beforeAll(async () => {
  second = await board('Second Board')()
  stranger = await board('Untrusted Board')()
  const trust = await t.request('POST', `/v1/organisations/${t.hospital.id}/trust`, {
    token: t.hospital.token,
    body: { issuer: second.did, types: ['ClinicianLicenseCredential'] },
  })
  expect(trust.status).toBe(201)
})

describe('batch verification', () => {
  it('gives each credential the envelope a single verification gives it, in order', async () => {
    const fromDemo = await Promise.all(Array.from({ length: 30 }, () => issue(t.board)))
    const fromSecond = await Promise.all(Array.from({ length: 20 }, () => issue(second)))
    const untrusted = await issue(stranger)
    const [revoked, suspended] = fromDemo
    for (const [c, action] of [
      [revoked!, 'revoke'],
      [suspended!, 'suspend'],
    ] as const) {
      const res = await t.request('POST', `/v1/organisations/${t.board.id}/credentials/${c.id}/status`, {
        token: t.board.token,
        body: { action },
      })
      expect(res.status).toBe(200)
    }
    const tampered = `${fromSecond[0]!.jwt.slice(0, -4)}AAAA`
    const credentials = [
      ...fromDemo.map((c) => c.jwt),
      untrusted.jwt,
      tampered,
      'not a credential',
      ...fromSecond.map((c) => c.jwt),
    ]
    const res = await batch(credentials)
    expect(res.status).toBe(200)
    expect(res.body.verifier).toBe(t.hospital.id)
    expect(res.body.results).toHaveLength(credentials.length)
    const codes = res.body.results.map((r: { valid: boolean; checks: Record<string, { code?: string }> }) =>
      r.valid ? 'valid' : Object.values(r.checks).find((c) => c.code)?.code,
    )
    expect(codes.slice(0, 2)).toEqual(['revoked', 'suspended'])
    expect(codes.slice(30, 33)).toEqual(['untrusted_issuer', 'invalid_signature', 'malformed'])
    expect(codes.filter((c: string) => c === 'valid')).toHaveLength(28 + 20)
    expect(res.body.summary).toEqual({ total: credentials.length, valid: 48, notValid: 5 })
    for (const i of [0, 1, 2, 29, 30, 31, 32, 33, 52]) {
      expect(res.body.results[i], `credential ${i}`).toEqual(await single(credentials[i]!))
    }
  })

  it("after a board's compromise rotation, what it must re-issue is not valid in the batch", async () => {
    const before = await Promise.all(Array.from({ length: 12 }, () => issue(second)))
    const first = await batch(before.map((c) => c.jwt))
    expect(first.body.summary.valid).toBe(12)
    const rotated = await t.request('POST', `/v1/organisations/${second.id}/did/rotate`, {
      token: second.token,
      body: { policy: 'compromise' },
    })
    expect(rotated.status).toBe(200)
    // A revocation is effective from the second after its block (registry times are whole seconds).
    await sleep(1100)
    const after = await batch(before.map((c) => c.jwt))
    expect(after.status).toBe(200)
    const reissue = new Set(rotated.body.reissue.map((r: { id: string }) => r.id))
    expect(reissue.size).toBeGreaterThan(0)
    before.forEach((c, i) => {
      if (reissue.has(c.id)) expect(after.body.results[i].valid, c.id).toBe(false)
    })
    for (const i of [0, 11]) expect(after.body.results[i]).toEqual(await single(before[i]!.jwt))
  })

  it('verifies a full batch on every core', async () => {
    const licence = (await issue(t.board)).jwt
    const res = await batch(Array.from({ length: MAX_BATCH_CREDENTIALS }, () => licence))
    expect(res.status).toBe(200)
    expect(res.body.summary).toEqual({
      total: MAX_BATCH_CREDENTIALS,
      valid: MAX_BATCH_CREDENTIALS,
      notValid: 0,
    })
    expect(t.agent.ctx.verifyPool.size).toBeGreaterThanOrEqual(1)
  })
})

describe('batch verification refuses', () => {
  it('callers without a token (401) and staff of another organisation (403)', async () => {
    const anonymous = await t.request('POST', `/v1/organisations/${t.hospital.id}/verify/batch`, {
      body: { credentials: ['x'] },
    })
    expectError(anonymous, 401, 'unauthorized')
    expectError(await batch(['x'], t.board.token), 403, 'forbidden')
  })

  it('bad bodies with the field at fault (400)', async () => {
    expectError(await batch([]), 400, 'invalid_request', 'credentials')
    expectError(await batch('x'), 400, 'invalid_request', 'credentials')
    expectError(await batch(['ok', 7]), 400, 'invalid_request', 'credentials.1')
    expectError(await batch(['ok', '']), 400, 'invalid_request', 'credentials.1')
    expectError(
      await batch(Array.from({ length: MAX_BATCH_CREDENTIALS + 1 }, () => 'x')),
      400,
      'invalid_request',
      'credentials',
    )
    const extra = await t.request('POST', `/v1/organisations/${t.hospital.id}/verify/batch`, {
      token: t.hospital.token,
      body: { credentials: ['x'], verifier: t.board.id },
    })
    expectError(extra, 400, 'invalid_request', 'verifier')
  })

  it('bodies over 4 MiB (413), while 64 KiB stays the limit elsewhere', async () => {
    expectError(await batch(Array.from({ length: 80 }, () => 'x'.repeat(60_000))), 413, 'payload_too_large')
    const big = await t.request('POST', '/v1/verify', { body: { credential: 'x'.repeat(70_000) } })
    expectError(big, 413, 'payload_too_large')
  })
})
