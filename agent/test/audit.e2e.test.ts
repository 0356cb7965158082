import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryAudit } from '../src/audit/audit'
import { CLINICIAN_DID, inDays, licenceClaims, startTestAgent, type TestAgent } from './harness'

// Every state-changing service reports to the audit port, and verifiers report their decisions:
// identifiers and codes only, never claim values or tokens.

const audit = memoryAudit()
let t: TestAgent

beforeAll(async () => {
  t = await startTestAgent({ audit })
})
afterAll(async () => {
  await t?.stop()
})

const kinds = () => audit.events.map((e) => e.kind)

describe('audit port', () => {
  it('first start: the demo organisations and their DIDs', () => {
    expect(audit.events.filter((e) => e.kind === 'organisation.created')).toHaveLength(2)
    expect(kinds()).toContain('trust.added')
  })

  it('issuance, status change, verification, trust edit, DID change and token reset are each recorded', async () => {
    const { board, hospital } = t
    const issued = await t.request('POST', `/v1/organisations/${board.id}/credentials`, {
      token: board.token,
      body: {
        type: 'ClinicianLicenseCredential',
        subject: CLINICIAN_DID,
        claims: licenceClaims(),
        validUntil: inDays(30),
      },
    })
    expect(issued.status).toBe(201)
    const id = issued.body.id as string
    expect(audit.events.at(-1)).toMatchObject({
      kind: 'credential.issued',
      organisationId: board.id,
      credentialId: id,
      type: 'ClinicianLicenseCredential',
      subjectDid: CLINICIAN_DID,
    })

    const verified = await t.request('POST', '/v1/verify', {
      body: { credential: issued.body.jwt, verifier: hospital.id },
    })
    expect(verified.body.valid).toBe(true)
    expect(audit.events.at(-1)).toMatchObject({
      kind: 'verification.decided',
      verifier: hospital.id,
      what: 'credential',
      valid: true,
      issuer: board.did,
    })

    const suspended = await t.request('POST', `/v1/organisations/${board.id}/credentials/${id}/status`, {
      token: board.token,
      body: { action: 'suspend' },
    })
    expect(suspended.status).toBe(200)
    expect(audit.events.at(-1)).toMatchObject({
      kind: 'credential.status_changed',
      credentialId: id,
      status: 'suspended',
    })

    const removed = await t.request('DELETE', `/v1/organisations/${hospital.id}/trust/${board.did}`, {
      token: hospital.token,
    })
    expect(removed.status).toBe(200)
    expect(audit.events.at(-1)).toMatchObject({
      kind: 'trust.removed',
      organisationId: hospital.id,
      issuer: board.did,
    })

    const service = await t.request('POST', `/v1/organisations/${board.id}/did/services`, {
      token: board.token,
      body: { type: 'LinkedDomains', serviceEndpoint: 'https://audit.example.org/' },
    })
    expect(service.status).toBe(201)
    expect(audit.events.at(-1)).toMatchObject({
      kind: 'did.changed',
      organisationId: board.id,
      operation: 'add-service',
    })

    const reset = await t.request('POST', `/v1/organisations/${board.id}/token`, { token: t.admin })
    expect(reset.status).toBe(201)
    expect(audit.events.at(-1)).toMatchObject({ kind: 'organisation.token_reset', organisationId: board.id })
  })

  it('nothing refused is recorded as done, and no event carries claim values or tokens', async () => {
    const before = audit.events.length
    const refused = await t.request('POST', `/v1/organisations/${t.hospital.id}/trust`, {
      token: 'not-a-token',
      body: { issuer: t.board.did, types: ['ClinicianLicenseCredential'] },
    })
    expect(refused.status).toBe(401)
    expect(audit.events.length).toBe(before)
    const text = JSON.stringify(audit.events)
    const claims = licenceClaims() as { licenseNumber: string; name: { family: string } }
    for (const value of [claims.licenseNumber, claims.name.family, t.hospital.token, t.admin])
      expect(text).not.toContain(value)
  })
})
