import { setTimeout as sleep } from 'node:timers/promises'
import { Wallet } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DelegateTypes, ethrDidFor } from '../src/features/dids/ethr-controller'
import { CLINICIAN_DID, inDays, licenceClaims, startTestAgent, type TestAgent } from './harness'

// The whole life of an organisation's DID on the real embedded chain, with real SQLite:
// create → issue → verify → routine rotation → compromise rotation → deactivate, then a restart.

describe('organisation DID lifecycle on the embedded chain', () => {
  let t: TestAgent
  let org: { id: string; did: string }
  let token: string
  const issued: string[] = []

  const issue = async () => {
    const res = await t.request('POST', `/v1/organisations/${org.id}/credentials`, {
      token,
      body: {
        type: 'ClinicianLicenseCredential',
        subject: CLINICIAN_DID,
        claims: licenceClaims(),
        validUntil: inDays(365),
      },
    })
    expect(res.status).toBe(201)
    return res.body.jwt as string
  }
  const verify = async (jwt: string) => {
    const res = await t.request('POST', '/v1/verify', { body: { credential: jwt, verifier: t.hospital.id } })
    expect(res.status).toBe(200)
    return res.body
  }

  beforeAll(async () => {
    t = await startTestAgent()
    const created = await t.request('POST', '/v1/organisations', {
      token: t.admin,
      body: { name: 'Lifecycle Board', kind: 'board' },
    })
    expect(created.status).toBe(201)
    org = created.body.organisation
    token = created.body.token
    const trust = await t.request('POST', `/v1/organisations/${t.hospital.id}/trust`, {
      token: t.hospital.token,
      body: { issuer: org.did, types: ['ClinicianLicenseCredential'] },
    })
    expect(trust.status).toBe(201)
  })
  afterAll(async () => {
    await t?.stop()
  })

  it('creates the DID on the configured chain; it resolves to the controller key and the assertion key', async () => {
    expect(org.did).toMatch(/^did:ethr:0x7a69:0x0[23][0-9a-f]{64}$/)
    const res = await t.request('GET', `/v1/dids/${org.did}`)
    expect(res.status).toBe(200)
    const ids = res.body.didDocument.verificationMethod.map((m: { id: string }) => m.id)
    // The assertion key (ADR 0024), published at creation, is the DID's first key event.
    expect(ids).toEqual([`${org.did}#controller`, `${org.did}#controllerKey`, `${org.did}#delegate-1`])
  })

  it('issues a licence that verifies', async () => {
    issued.push(await issue())
    const result = await verify(issued[0]!)
    expect(result.valid).toBe(true)
    expect(Object.values(result.checks).every((c) => (c as { passed: boolean }).passed)).toBe(true)
  })

  it('routine rotation: the old assertion key stays published and earlier credentials still verify', async () => {
    const res = await t.request('POST', `/v1/organisations/${org.id}/did/rotate`, {
      token,
      body: { policy: 'routine' },
    })
    expect(res.status).toBe(200)
    expect(res.body.reissue).toEqual([])
    // The old key stays published at least until the licence expires.
    expect(Date.parse(res.body.oldKeyVerifiableUntil)).toBeGreaterThan(Date.parse(inDays(364)))
    const doc = (await t.request('GET', `/v1/dids/${org.did}`)).body.didDocument
    expect(doc.verificationMethod.map((m: { id: string }) => m.id)).not.toContain(`${org.did}#controllerKey`)
    // The licence's kid still names its key, with its public key.
    const kid = JSON.parse(Buffer.from(issued[0]!.split('.')[0]!, 'base64url').toString()).kid
    expect(doc.verificationMethod.find((m: { id: string }) => m.id === kid)?.publicKeyHex).toBeDefined()
    expect((await verify(issued[0]!)).valid).toBe(true)
    // New credentials are signed with the new key and verify too.
    issued.push(await issue())
    expect((await verify(issued[1]!)).valid).toBe(true)
  })

  it('compromise rotation: credentials of the compromised key fail with the reason and are listed for re-issue', async () => {
    // The agent's own delegate key, and what a thief of the controller key might add.
    const own = await t.request('POST', `/v1/organisations/${org.id}/did/keys`, { token, body: {} })
    expect(own.status).toBe(201)
    const identifier = await t.agent.ctx.veramo.didManagerGet({ did: org.did })
    const controller = identifier.keys.find((k) => k.kid === identifier.controllerKeyId)!
    const thief = ethrDidFor(t.agent.ctx, identifier, controller)
    const thiefKey = Wallet.createRandom()
    await thief.addDelegate(thiefKey.address, { delegateType: DelegateTypes.veriKey, expiresIn: 86_400 })
    await thief.setAttribute('did/pub/Secp256k1/veriKey/hex', thiefKey.signingKey.compressedPublicKey, 86_400)
    // A 32-byte attribute name has no terminating zero byte: reading it must not block the rotation.
    await thief.setAttribute(`did/svc/${'X'.repeat(24)}`, 'https://thief.example/', 86_400)
    const before = (await t.request('GET', `/v1/dids/${org.did}`)).body.didDocument
    expect(JSON.stringify(before).toLowerCase()).toContain(thiefKey.address.toLowerCase())

    const res = await t.request('POST', `/v1/organisations/${org.id}/did/rotate`, {
      token,
      body: { policy: 'compromise' },
    })
    expect(res.status).toBe(200)
    expect(res.body.revoked).toEqual([
      { kind: 'delegate', type: 'veriKey', address: thiefKey.address.toLowerCase() },
      {
        kind: 'attribute',
        name: 'did/pub/Secp256k1/veriKey/hex',
        value: thiefKey.signingKey.compressedPublicKey.toLowerCase(),
      },
    ])
    // A revocation is effective from the second after its block (registry times are whole seconds).
    await sleep(1100)
    const after = JSON.stringify(
      (await t.request('GET', `/v1/dids/${org.did}`)).body.didDocument,
    ).toLowerCase()
    expect(after).not.toContain(thiefKey.address.toLowerCase().slice(2))
    expect(after).not.toContain(thiefKey.signingKey.compressedPublicKey.toLowerCase().slice(2))
    expect(after).toContain(own.body.publicKeyHex.toLowerCase().replace(/^0x/, ''))
    expect(res.body.reissue).toHaveLength(1)
    const result = await verify(issued[1]!)
    expect(result.valid).toBe(false)
    expect(result.checks.signature).toMatchObject({ passed: false, code: 'invalid_signature' })
    const listed = await t.request('GET', `/v1/organisations/${org.id}/credentials?reissueRequired=true`, {
      token,
    })
    expect(listed.body.credentials.map((c: { id: string }) => c.id)).toEqual([res.body.reissue[0].id])
    // The credential from before the routine rotation is signed by the retired key, not the compromised one.
    expect((await verify(issued[0]!)).valid).toBe(true)
    issued.push(await issue())
    expect((await verify(issued[2]!)).valid).toBe(true)
  })

  it('deactivation: everything from that DID fails, and it can no longer issue or change', async () => {
    const res = await t.request('POST', `/v1/organisations/${org.id}/did/deactivate`, { token })
    expect(res.status).toBe(200)
    const resolved = await t.request('GET', `/v1/dids/${org.did}`)
    expect(resolved.body.didDocumentMetadata.deactivated).toBe(true)
    for (const jwt of issued) {
      const result = await verify(jwt)
      expect(result.valid).toBe(false)
      expect(result.checks.signature).toMatchObject({ passed: false, code: 'did_deactivated' })
    }
    const again = await t.request('POST', `/v1/organisations/${org.id}/credentials`, {
      token,
      body: {
        type: 'ClinicianLicenseCredential',
        subject: CLINICIAN_DID,
        claims: licenceClaims(),
        validUntil: inDays(30),
      },
    })
    expect(again.status).toBe(409)
    expect(again.body.code).toBe('did_deactivated')
    const rotate = await t.request('POST', `/v1/organisations/${org.id}/did/rotate`, {
      token,
      body: { policy: 'routine' },
    })
    expect(rotate.body.code).toBe('did_deactivated')
  })

  it('after deactivation its status lists answer 410, and its staff change nothing (4xx, nothing stored)', async () => {
    const listed = await t.request('GET', `/v1/organisations/${org.id}/credentials`, { token })
    expect(listed.status).toBe(200)
    const row = listed.body.credentials[0]
    const payload = JSON.parse(Buffer.from(row.jwt.split('.')[1], 'base64url').toString())
    for (const entry of payload.vc.credentialStatus) {
      const res = await t.agent.app.request(new URL(entry.statusListCredential).pathname)
      expect(res.status).toBe(410)
      expect((await res.json()).code).toBe('issuer_deactivated')
    }
    const writes: [string, string, unknown][] = [
      ['POST', `/v1/organisations/${org.id}/credentials/${row.id}/status`, { action: 'revoke' }],
      [
        'POST',
        `/v1/organisations/${org.id}/did/services`,
        { type: 'LinkedDomains', serviceEndpoint: 'https://x.example/' },
      ],
      ['POST', `/v1/organisations/${org.id}/did/keys`, {}],
      [
        'POST',
        `/v1/organisations/${org.id}/trust`,
        { issuer: t.board.did, types: ['ClinicianLicenseCredential'] },
      ],
      ['POST', `/v1/organisations/${org.id}/presentation-requests`, {}],
      ['POST', `/v1/organisations/${org.id}/did/deactivate`, undefined],
    ]
    for (const [method, path, body] of writes) {
      const res = await t.request(method, path, { token, ...(body === undefined ? {} : { body }) })
      expect(res.status, path).toBe(409)
      expect(res.body.code, path).toBe('did_deactivated')
    }
    const after = await t.request('GET', `/v1/organisations/${org.id}/credentials/${row.id}`, { token })
    expect(after.body.status).toBe(row.status)
  })
})

describe('restart', () => {
  it('keeps DIDs, keys, credentials and the registry across a stop and start of chain and agent', async () => {
    const first = await startTestAgent()
    let second: TestAgent | undefined
    try {
      const before = (await first.request('GET', '/v1/health')).body
      await first.request('POST', `/v1/organisations/${first.board.id}/did/services`, {
        token: first.board.token,
        body: { type: 'LinkedDomains', serviceEndpoint: 'https://board.example.org/' },
      })
      const issuedRes = await first.request('POST', `/v1/organisations/${first.board.id}/credentials`, {
        token: first.board.token,
        body: {
          type: 'ClinicianLicenseCredential',
          subject: CLINICIAN_DID,
          claims: licenceClaims(),
          validUntil: inDays(90),
        },
      })
      expect(issuedRes.status).toBe(201)
      const docBefore = (await first.request('GET', `/v1/dids/${first.board.did}`)).body.didDocument
      await first.stop({ keepData: true })

      second = await startTestAgent({ dataDir: first.dataDir, previous: first })
      const after = (await second.request('GET', '/v1/health')).body
      expect(after.chain.registry).toBe(before.chain.registry)
      expect(after.chain.latestBlock).toBeGreaterThanOrEqual(before.chain.latestBlock)
      // No second set of demo organisations, same ones as before.
      const orgs = (await second.request('GET', '/v1/organisations')).body.organisations
      expect(orgs.map((o: { id: string }) => o.id).sort()).toEqual([first.board.id, first.hospital.id].sort())
      // The on-chain service survived (chain state) and the DID document is the same.
      const docAfter = (await second.request('GET', `/v1/dids/${first.board.did}`)).body.didDocument
      expect(docAfter).toEqual(docBefore)
      expect(docAfter.service[0].serviceEndpoint).toBe('https://board.example.org/')
      // Stored credential and tokens survived, and it still verifies.
      const stored = await second.request(
        'GET',
        `/v1/organisations/${first.board.id}/credentials/${issuedRes.body.id}`,
        {
          token: first.board.token,
        },
      )
      expect(stored.body.jwt).toBe(issuedRes.body.jwt)
      const v = await second.request('POST', '/v1/verify', {
        body: { credential: stored.body.jwt, verifier: first.hospital.id },
      })
      expect(v.body.valid).toBe(true)
      // The encrypted key store survived: the board can still sign and change its DID.
      const again = await second.request('POST', `/v1/organisations/${first.board.id}/credentials`, {
        token: first.board.token,
        body: {
          type: 'ClinicianLicenseCredential',
          subject: CLINICIAN_DID,
          claims: licenceClaims(),
          validUntil: inDays(90),
        },
      })
      expect(again.status).toBe(201)
      const rotated = await second.request('POST', `/v1/organisations/${first.board.id}/did/rotate`, {
        token: first.board.token,
        body: { policy: 'routine' },
      })
      expect(rotated.status).toBe(200)
    } finally {
      if (second) await second.stop()
      else await first.stop()
    }
  })
})
