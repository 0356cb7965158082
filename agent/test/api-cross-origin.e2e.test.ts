import { beforeAll, describe, expect, it } from 'vitest'
import { issue, licenceBody, sdIdentityBody } from './api'
import { useTestAgent } from './harness'
import { decodeJwt, holderKey } from './holders'

// Browser access over real HTTP: pages of any origin (the wallet, foreign verifiers) may read status
// lists, DID resolution and the OpenAPI document (Token Status List §8.1); staff and operator
// endpoints stay same-origin (docs/decisions/0023).

const ORIGIN = 'https://wallet.example'
const CORS = [
  'access-control-allow-origin',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-allow-credentials',
  'access-control-expose-headers',
  'access-control-max-age',
]
const corsOf = (res: Response) =>
  Object.fromEntries(CORS.flatMap((h) => (res.headers.has(h) ? [[h, res.headers.get(h)]] : [])))
const READABLE = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'Retry-After' }

const t = useTestAgent()

describe('CORS on the public, read-only resources', () => {
  /** Paths of the three lists the agent publishes (JWT-VC revocation and suspension, SD-JWT token). */
  let lists: string[]

  const get = (path: string, headers: Record<string, string> = { Origin: ORIGIN }) =>
    fetch(`${t.url}${path}`, { headers })
  const preflight = (path: string, method: string, headers: Record<string, string> = {}) =>
    fetch(`${t.url}${path}`, {
      method: 'OPTIONS',
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': method, ...headers },
    })

  beforeAll(async () => {
    const licence = await issue(t, t.board, licenceBody(holderKey().did))
    const identity = await issue(t, t.hospital, sdIdentityBody(holderKey()))
    // Every list URL the two credentials name, whatever the shape of their status entries.
    const payloads = JSON.stringify([
      decodeJwt(licence.jwt).payload,
      decodeJwt(identity.jwt.split('~')[0]!).payload,
    ])
    const urls = payloads.match(/https?:\/\/[^"]+\/v1\/status-lists\/[^"]+/g) ?? []
    lists = [...new Set(urls.map((url) => new URL(url).pathname))] // entry ids add a #index
    expect(lists).toHaveLength(3)
  })

  it('status lists: any origin reads them, without credentials, with their caching headers', async () => {
    for (const path of lists) {
      const res = await get(path)
      expect(res.status, path).toBe(200)
      expect(corsOf(res), path).toEqual(READABLE)
      expect(res.headers.get('vary'), path).toBeNull()
      expect(res.headers.get('cache-control'), path).toMatch(/^public, max-age=\d+$/)
    }
    // The same answer without an Origin (a server-side verifier), so a shared cache may keep it.
    expect(corsOf(await get(lists[0]!, {}))).toEqual(READABLE)
  })

  it('their errors are readable too (an unknown list, an uploaded list not held)', async () => {
    const unknown = await get(lists[0]!.replace(/[^/]+$/, 'nothing'))
    expect(unknown.status).toBe(404)
    expect(corsOf(unknown)).toEqual(READABLE)
    const notHeld = await get(`/v1/status-lists/dids/${encodeURIComponent(t.board.did)}/list-1`)
    expect(notHeld.status).toBe(404)
    expect(corsOf(notHeld)).toEqual(READABLE)
  })

  it('DID resolution and the OpenAPI document', async () => {
    const did = await get(`/v1/dids/${encodeURIComponent(t.hospital.did)}`)
    expect(did.status).toBe(200)
    expect(corsOf(did)).toEqual(READABLE)
    expect(((await did.json()) as { didDocument: { id: string } }).didDocument.id).toBe(t.hospital.did)
    const openapi = await get('/v1/openapi.json')
    expect(corsOf(openapi)).toEqual(READABLE)
    const doc = (await openapi.json()) as { paths: Record<string, Record<string, Record<string, unknown>>> }
    expect(doc.paths['/v1/dids/{did}']?.get?.['x-clavis-cross-origin']).toBe(true)
  })

  it('answers their preflight: GET and HEAD, a few caching request headers, no credentials', async () => {
    for (const path of [...lists, `/v1/dids/${encodeURIComponent(t.board.did)}`, '/v1/openapi.json']) {
      const res = await preflight(path, 'GET', { 'Access-Control-Request-Headers': 'if-none-match' })
      expect(res.status, path).toBe(204)
      expect(corsOf(res), path).toEqual({
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, HEAD',
        'access-control-allow-headers': 'Cache-Control, If-Modified-Since, If-None-Match',
        'access-control-max-age': '86400',
      })
    }
  })

  it('staff and operator endpoints stay same-origin: no CORS header, no preflight answered', async () => {
    const credentials = `/v1/organisations/${t.board.id}/credentials`
    const staff = await fetch(`${t.url}${credentials}`, {
      headers: { Origin: ORIGIN, Authorization: `Bearer ${t.board.token}` },
    })
    expect(staff.status).toBe(200)
    expect(corsOf(staff)).toEqual({})
    const answers = [
      await preflight(credentials, 'GET', { 'Access-Control-Request-Headers': 'authorization' }),
      await preflight(credentials, 'POST', {
        'Access-Control-Request-Headers': 'authorization,content-type',
      }),
      await preflight(`${credentials}/x/status`, 'POST'),
      await preflight(`/v1/organisations/${t.board.id}/did/rotate`, 'POST'),
      await preflight('/v1/organisations', 'POST'),
      await preflight('/v1/me', 'GET', { 'Access-Control-Request-Headers': 'authorization' }),
      await preflight('/v1/health', 'GET', { 'Access-Control-Request-Headers': 'authorization' }),
      await preflight('/v1/verify/presentation', 'POST', {
        'Access-Control-Request-Headers': 'content-type',
      }),
      // A list path, but a write: uploading a list is not opened to pages.
      await preflight(`/v1/status-lists/dids/${encodeURIComponent(t.board.did)}/list-1`, 'PUT'),
    ]
    for (const res of answers) {
      expect(res.status).not.toBe(204)
      expect(corsOf(res)).toEqual({})
    }
    for (const path of ['/v1/me', '/v1/health', '/v1/organisations'])
      expect(corsOf(await get(path))).toEqual({})
  })
})
