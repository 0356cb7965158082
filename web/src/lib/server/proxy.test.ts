import { describe, expect, it } from 'vitest'
import { agentOrigins, widenConnectSrc } from './csp'
import { agentTarget, ProxyRefusal, proxyToAgent } from './proxy'

describe('the /agent pass-through', () => {
  it('reaches only the /v1 API, never another path or a parent', () => {
    expect(agentTarget('http://127.0.0.1:8787/', 'v1/health', '').href).toBe(
      'http://127.0.0.1:8787/v1/health',
    )
    expect(agentTarget('http://a:1/prefix', 'v1/dids/did:ethr:0x1', '?x=1').href).toBe(
      'http://a:1/prefix/v1/dids/did:ethr:0x1?x=1',
    )
    expect(agentTarget('http://a:1', 'fhir/Observation', '?patient=p1').href).toBe(
      'http://a:1/fhir/Observation?patient=p1',
    )
    for (const bad of [
      'issuers/x',
      'v1/../admin',
      'v1/./x',
      '',
      'v2/x',
      '.well-known/x',
      'v1/%2e%2e/x',
      'v1/%2E%2e/%2e%2e/y',
      'fhir/%2e%2e/v2',
      'fhirx/Observation',
    ])
      expect(() => agentTarget('http://a:1', bad, '')).toThrow(ProxyRefusal)
  })

  it('passes the token on, drops cookies, and answers 502 with a hint when the agent is down', async () => {
    let seen: Headers | undefined
    const fetch = (async (_url: URL, init: RequestInit) => {
      seen = new Headers(init.headers)
      return new Response('{"ok":true}', {
        headers: { 'content-type': 'application/json', 'set-cookie': 'a=b' },
      })
    }) as unknown as typeof globalThis.fetch
    const request = new Request('http://web/agent/v1/me', {
      headers: {
        authorization: 'Bearer t',
        cookie: 'session=1',
        'idempotency-key': 'k-1',
        'x-forwarded-for': '6.6.6.6',
      },
    })
    const res = await proxyToAgent({ agentUrl: 'http://a:1', path: 'v1/me', request, fetch })
    expect(res.status).toBe(200)
    expect(seen?.get('authorization')).toBe('Bearer t')
    expect(seen?.get('cookie')).toBeNull()
    expect(seen?.get('idempotency-key')).toBe('k-1')
    expect(seen?.get('x-forwarded-for')).toBeNull()
    expect(res.headers.get('set-cookie')).toBeNull()

    const down = (async () => {
      throw new TypeError('fetch failed')
    }) as unknown as typeof globalThis.fetch
    const failed = await proxyToAgent({
      agentUrl: 'http://a:1',
      path: 'v1/me',
      request: new Request('http://web/agent/v1/me'),
      fetch: down,
    })
    expect(failed.status).toBe(502)
    expect(await failed.json()).toMatchObject({ code: 'agent_unreachable' })
  })

  it('refuses bodies over 1 MiB with 413', async () => {
    const big = new Request('http://web/agent/v1/x', { method: 'POST', body: 'x'.repeat(1_048_577) })
    const res = await proxyToAgent({
      agentUrl: 'http://a:1',
      path: 'v1/x',
      request: big,
      fetch: globalThis.fetch,
    })
    expect(res.status).toBe(413)
  })
})

describe('connect-src', () => {
  it('adds https: and the configured agent origins, nothing for a bad URL', () => {
    const csp = "default-src 'self'; connect-src 'self'; script-src 'self'"
    expect(widenConnectSrc(csp, agentOrigins(['http://127.0.0.1:8787/x', 'not a url', undefined]))).toBe(
      "default-src 'self'; connect-src 'self' https: http://127.0.0.1:8787; script-src 'self'",
    )
  })
})
