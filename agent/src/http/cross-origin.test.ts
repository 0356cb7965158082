import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { crossOriginReads } from './cross-origin'

const ORIGIN = 'https://wallet.example'

/** An app with one cross-origin route (and the metadata route of the next issue), and others that are not. */
function app() {
  return new Hono()
    .use(
      '*',
      crossOriginReads({
        routes: [
          { method: 'GET', path: '/v1/status-lists/{group}/{name}' },
          { method: 'GET', path: '/.well-known/openid-credential-issuer' },
        ],
      }),
    )
    .get('/v1/status-lists/:group/:name', (c) =>
      c.req.param('name') === 'missing' ? c.json({ code: 'not_found' }, 404) : c.text('jwt'),
    )
    .put('/v1/status-lists/:group/:name', (c) => c.json({}, 201))
    .get('/.well-known/openid-credential-issuer', (c) => c.json({}))
    .get('/v1/organisations/:id/credentials', (c) => c.json([]))
}

const CORS_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-allow-credentials',
  'access-control-expose-headers',
  'access-control-max-age',
]
const corsOf = (res: Response) =>
  Object.fromEntries(CORS_HEADERS.flatMap((h) => (res.headers.has(h) ? [[h, res.headers.get(h)]] : [])))

const preflight = (path: string, method = 'GET', headers: Record<string, string> = {}) =>
  app().request(path, {
    method: 'OPTIONS',
    headers: { Origin: ORIGIN, 'Access-Control-Request-Method': method, ...headers },
  })

describe('crossOriginReads', () => {
  it('lets any origin read a listed route, its errors too, without credentials or Vary', async () => {
    for (const path of [
      '/v1/status-lists/g1/token',
      '/v1/status-lists/g1/missing',
      '/.well-known/openid-credential-issuer',
    ]) {
      for (const headers of [{ Origin: ORIGIN }, {}] as Record<string, string>[]) {
        const res = await app().request(path, { headers })
        expect(corsOf(res), path).toEqual({
          'access-control-allow-origin': '*',
          'access-control-expose-headers': 'Retry-After',
        })
        expect(res.headers.get('vary')).toBeNull()
      }
    }
    expect(corsOf(await app().request('/v1/status-lists/g1/token', { method: 'HEAD' }))).toMatchObject({
      'access-control-allow-origin': '*',
    })
  })

  it('answers the preflight of a listed GET route', async () => {
    const res = await preflight('/v1/status-lists/g1/token', 'GET', {
      'Access-Control-Request-Headers': 'cache-control',
    })
    expect(res.status).toBe(204)
    expect(corsOf(res)).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, HEAD',
      'access-control-allow-headers': 'Cache-Control, If-Modified-Since, If-None-Match',
      'access-control-max-age': '86400',
    })
    expect(await res.text()).toBe('')
  })

  it('gives no CORS header to other routes, other methods of a listed path, or near misses', async () => {
    const unlisted = [
      app().request('/v1/organisations/o1/credentials', { headers: { Origin: ORIGIN } }),
      app().request('/v1/status-lists/g1/token', { method: 'PUT', headers: { Origin: ORIGIN }, body: 'x' }),
      app().request('/v1/status-lists/g1/token/extra', { headers: { Origin: ORIGIN } }),
      app().request('/v1/status-lists/g1/', { headers: { Origin: ORIGIN } }),
      preflight('/v1/organisations/o1/credentials'),
      preflight('/v1/organisations/o1/credentials', 'POST', {
        'Access-Control-Request-Headers': 'authorization',
      }),
      preflight('/v1/status-lists/g1/token', 'PUT'),
      preflight('/v1/status-lists/g1/token', 'DELETE'),
      app().request('/v1/status-lists/g1/token', { method: 'OPTIONS', headers: { Origin: ORIGIN } }),
    ]
    for (const res of await Promise.all(unlisted)) {
      expect(corsOf(res)).toEqual({})
      if (res.status === 204) throw new Error('a preflight was answered')
    }
  })

  it('is checked when built: GET routes with absolute paths only', () => {
    expect(() => crossOriginReads({ routes: [{ method: 'PUT' as 'GET', path: '/v1/x' }] })).toThrow(
      /only GET routes/,
    )
    expect(() => crossOriginReads({ routes: [{ method: 'GET', path: 'v1/x' }] })).toThrow(/absolute path/)
    expect(() => crossOriginReads({ routes: [], maxAgeSeconds: -1 })).toThrow(/maxAgeSeconds/)
  })
})
