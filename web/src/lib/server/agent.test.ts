import { describe, expect, it } from 'vitest'
import { parseHealth } from '../status/parse'
import { getFromAgent } from './agent'

const answer =
  (status: number, body: string): typeof fetch =>
  async () =>
    new Response(body, { status, headers: { 'content-type': 'application/json' } })

const get = (fetch: typeof globalThis.fetch, agentUrl = 'http://127.0.0.1:8787') =>
  getFromAgent({ agentUrl, operation: 'getHealth', parse: parseHealth, fetch, timeoutMs: 50 })

describe('getFromAgent', () => {
  it('reports a refused connection as unreachable, with what to do', async () => {
    const refused: typeof fetch = async () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      })
    }
    const result = await get(refused)
    expect(result).toEqual({
      ok: false,
      problem: {
        code: 'agent_unreachable',
        message: 'The Clavis agent is unreachable.',
        hint: 'Start the system with `pnpm start`, or set `CLAVIS_AGENT_URL` to where the agent listens.',
      },
    })
  })

  it('gives up after the timeout', async () => {
    const hang: typeof fetch = (_url, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      )
    const result = await get(hang)
    expect(result.ok ? undefined : result.problem.code).toBe('agent_timeout')
  })

  it('passes on the agent’s error code and message', async () => {
    const result = await get(answer(503, '{"code":"chain_unavailable","message":"anvil is down"}'))
    expect(result.ok ? undefined : result.problem.message).toBe(
      'The agent answered /v1/health with HTTP 503 (chain_unavailable: anvil is down).',
    )
  })

  it('reports a body that is not JSON or has the wrong shape', async () => {
    const html = await get(answer(200, '<html>'))
    expect(html.ok ? undefined : html.problem.code).toBe('agent_bad_response')
    // The client checks the answer against the contract first…
    const wrong = await get(answer(200, '{"status":"ok"}'))
    expect(wrong.ok ? undefined : wrong.problem.message).toBe(
      'The agent at http://127.0.0.1:8787 answered GET /v1/health with an unexpected body (chain: Invalid input: expected object, received undefined).',
    )
    // …then the page keeps what it shows, refusing what it cannot (a degraded agent).
    const degraded = await get(
      answer(200, '{"status":"degraded","chain":{"chainId":31337,"registry":"0x01","latestBlock":null}}'),
    )
    expect(degraded.ok ? undefined : degraded.problem.message).toBe(
      '/v1/health answered with an unexpected body (health.status: expected "ok").',
    )
  })

  it('refuses an agent URL that is not http(s), and keeps a path prefix', async () => {
    const bad = await get(answer(200, '{}'), 'file:///etc/passwd')
    expect(bad.ok ? undefined : bad.problem.code).toBe('invalid_agent_url')
    let seen = ''
    const spy: typeof fetch = async (url) => {
      seen = String(url)
      return new Response('{}')
    }
    await get(spy, 'http://proxy.local/clavis/')
    expect(seen).toBe('http://proxy.local/clavis/v1/health')
  })
})
