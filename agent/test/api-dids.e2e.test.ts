import { describe, expect, it } from 'vitest'
import { expectError } from './api'
import { useTestAgent } from './harness'

// The HTTP API end to end: resolving DIDs, and an organisation's DID changes on the embedded chain.

const t = useTestAgent()

async function didDocument(did: string): Promise<{ verificationMethod: unknown[]; service?: unknown[] }> {
  const res = await t.request('GET', `/v1/dids/${encodeURIComponent(did)}`)
  expect(res.status).toBe(200)
  return res.body.didDocument
}

describe('DID resolution', () => {
  it('resolves a did:ethr of this chain', async () => {
    const res = await t.request('GET', `/v1/dids/${t.board.did}`)
    expect(res.status).toBe(200)
    expect(res.body.didDocument.id).toBe(t.board.did)
  })

  it('refuses garbage with invalid_did', async () => {
    expectError(await t.request('GET', '/v1/dids/garbage'), 400, 'invalid_did')
  })

  it('answers unknown_did for an unsupported method', async () => {
    expectError(await t.request('GET', '/v1/dids/did:web:x'), 404, 'unknown_did')
  })

  it('answers unknown_did for did:ethr on another chain', async () => {
    const did = 'did:ethr:0x1:0xb9c5714089478a327f09197987f16f9e5d936e8a'
    expectError(await t.request('GET', `/v1/dids/${did}`), 404, 'unknown_did')
  })

  it('does not crash on a percent sign that is not an escape', async () => {
    // `%zz` is not a percent-encoding, so not a DID; `%25zz` in the URL is a DID containing `%zz`.
    expectError(await t.request('GET', '/v1/dids/did:web:x%25zz'), 400, 'invalid_did')
    expectError(await t.request('GET', '/v1/dids/did:web:x%zz'), 400, 'invalid_did')
    expectError(await t.request('GET', '/v1/dids/did:web:x%252F'), 404, 'unknown_did')
  })

  it('the DID of an unknown organisation is 404', async () => {
    expectError(await t.request('GET', '/v1/organisations/nope/did'), 404, 'not_found')
  })

  it("shows an organisation's DID and its history", async () => {
    const res = await t.request('GET', `/v1/organisations/${t.board.id}/did`)
    expect(res.status).toBe(200)
    expect(res.body.did).toBe(t.board.did)
    expect(res.body.resolution.didDocument.id).toBe(t.board.did)
    expect(Array.isArray(res.body.events)).toBe(true)
  })
})

describe('DID changes', () => {
  const services = () => `/v1/organisations/${t.board.id}/did/services`
  const keys = () => `/v1/organisations/${t.board.id}/did/keys`

  it('adds a service that then appears in the DID document', async () => {
    const res = await t.request('POST', services(), {
      token: t.board.token,
      body: { type: 'LinkedDomains', serviceEndpoint: 'https://board.example.org/' },
    })
    expect(res.status).toBe(201)
    expect(res.body.txHash).toMatch(/^0x[0-9a-f]{64}$/)
    const doc = await didDocument(t.board.did)
    expect(doc.service).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'LinkedDomains', serviceEndpoint: 'https://board.example.org/' }),
      ]),
    )
  })

  it('takes a service type of 23 characters whole, refuses 24 (a registry name is 32 bytes), and the DID still changes after', async () => {
    const longest = await t.request('POST', services(), {
      token: t.board.token,
      body: { type: `L${'x'.repeat(22)}`, serviceEndpoint: 'https://long.example/' },
    })
    expect(longest.status).toBe(201)
    const doc = await didDocument(t.board.did)
    expect(doc.service).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: `L${'x'.repeat(22)}` })]),
    )
    expectError(
      await t.request('POST', services(), {
        token: t.board.token,
        body: { type: `L${'x'.repeat(23)}`, serviceEndpoint: 'https://long.example/' },
      }),
      400,
      'invalid_request',
      'type',
    )
  })

  it('refuses a NUL character in a body or a path (400), on every database', async () => {
    const res = await t.request('POST', services(), {
      token: t.board.token,
      body: { type: 'LinkedDomains', serviceEndpoint: 'https://a.example/\u0000' },
    })
    expectError(res, 400, 'invalid_request', 'serviceEndpoint')
    expect((await t.request('GET', '/v1/organisations/%00')).status).toBe(400)
  })

  it('refuses a plain-http service endpoint with its path', async () => {
    const res = await t.request('POST', services(), {
      token: t.board.token,
      body: { type: 'LinkedDomains', serviceEndpoint: 'http://evil.example' },
    })
    expectError(res, 400, 'invalid_request', 'serviceEndpoint')
  })

  it('refuses staff of another organisation (403)', async () => {
    const res = await t.request('POST', services(), {
      token: t.hospital.token,
      body: { type: 'LinkedDomains', serviceEndpoint: 'https://board.example.org/' },
    })
    expectError(res, 403, 'forbidden')
  })

  it('adds a delegate key that shows in the document, then revokes it', async () => {
    const before = (await didDocument(t.board.did)).verificationMethod.length
    const added = await t.request('POST', keys(), { token: t.board.token, body: {} })
    expect(added.status).toBe(201)
    expect(typeof added.body.kid).toBe('string')
    const withKey = await didDocument(t.board.did)
    expect(withKey.verificationMethod.length).toBe(before + 1)
    const revoked = await t.request('DELETE', `${keys()}/${added.body.kid}`, { token: t.board.token })
    expect(revoked.status).toBe(200)
    expect((await didDocument(t.board.did)).verificationMethod.length).toBe(before)
  })

  it('refuses a key validity below a minute with its path', async () => {
    const res = await t.request('POST', keys(), { token: t.board.token, body: { validitySeconds: 1 } })
    expectError(res, 400, 'invalid_request', 'validitySeconds')
  })

  it('revoking an unknown key is 404', async () => {
    const res = await t.request('DELETE', `${keys()}/deadbeef`, { token: t.board.token })
    expectError(res, 404, 'not_found')
  })

  it('revoking the controller key is 409 conflict', async () => {
    // The API does not show key ids of the controller; read it from the agent's key store.
    const controllerKid = (await t.agent.ctx.veramo.didManagerGet({ did: t.board.did })).controllerKeyId
    const res = await t.request('DELETE', `${keys()}/${controllerKid}`, { token: t.board.token })
    expectError(res, 409, 'conflict')
  })

  it('refuses a bad rotation policy with its path', async () => {
    const res = await t.request('POST', `/v1/organisations/${t.board.id}/did/rotate`, {
      token: t.board.token,
      body: { policy: 'sometimes' },
    })
    expectError(res, 400, 'invalid_request', 'policy')
  })

  it('refuses deactivation by staff of another organisation', async () => {
    const res = await t.request('POST', `/v1/organisations/${t.board.id}/did/deactivate`, {
      token: t.hospital.token,
    })
    expectError(res, 403, 'forbidden')
  })
})
