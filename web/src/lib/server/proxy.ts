/**
 * The browser's way to the agent's HTTP API: `/agent/v1/…` on the web app's own origin is passed
 * to `CLAVIS_AGENT_URL/v1/…`, and `/agent/fhir/…` (the hospital's FHIR read API, DPoP-bound
 * tokens) to `…/fhir/…`. Only those paths, the API's methods and the headers it reads go
 * through; cookies never do (the agent uses none), and bodies are bounded. Staff tokens arrive in
 * `Authorization` from the page (kept in the tab's session storage) and are passed on, never kept.
 */

/** Largest request body passed on (the agent's own limit is lower for most routes). */
export const MAX_PROXY_BODY_BYTES = 1_048_576

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])
const REQUEST_HEADERS = [
  'authorization',
  'content-type',
  'accept',
  'if-none-match',
  'idempotency-key',
  'dpop',
]
const RESPONSE_HEADERS = [
  'content-type',
  'cache-control',
  'etag',
  'www-authenticate',
  'retry-after',
  'location',
  'dpop-nonce',
]

export class ProxyRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'ProxyRefusal'
  }
}

/** The agent URL a browser request for `/agent/<path>` goes to, or a refusal. */
export function agentTarget(agentUrl: string, path: string, search: string): URL {
  const root = ['v1', 'fhir'].find((r) => path === r || path.startsWith(`${r}/`))
  if (
    !root ||
    !/^[a-z0-9]+(\/[\w.~:%@!$&'()*+,;=-]*)*$/.test(path) ||
    path.split('/').some((s) => s === '..' || s === '.')
  )
    throw new ProxyRefusal(404, 'not_found', 'Only the agent’s /v1 API and /fhir are reachable here.')
  const base = agentUrl.replace(/\/+$/, '')
  const target = new URL(`${base}/${path}${search}`)
  // URL parsing resolves encoded dots (`%2e%2e`): check where the request really goes.
  const prefix = `${new URL(base).pathname.replace(/\/+$/, '')}/${root}`
  if (target.pathname !== prefix && !target.pathname.startsWith(`${prefix}/`))
    throw new ProxyRefusal(404, 'not_found', 'Only the agent’s /v1 API and /fhir are reachable here.')
  return target
}

/** Passes one request on to the agent and its answer back. */
export async function proxyToAgent(o: {
  agentUrl: string
  path: string
  request: Request
  fetch: typeof globalThis.fetch
  timeoutMs?: number
}): Promise<Response> {
  const { request } = o
  try {
    if (!METHODS.has(request.method))
      throw new ProxyRefusal(405, 'method_not_allowed', `${request.method} is not passed to the agent.`)
    const target = agentTarget(o.agentUrl, o.path, new URL(request.url).search)
    const headers = new Headers()
    for (const name of REQUEST_HEADERS) {
      const value = request.headers.get(name)
      if (value !== null) headers.set(name, value)
    }
    let body: ArrayBuffer | undefined
    if (request.method !== 'GET') {
      const declared = Number(request.headers.get('content-length') ?? '0')
      if (declared > MAX_PROXY_BODY_BYTES)
        throw new ProxyRefusal(413, 'payload_too_large', 'The request body is larger than 1 MiB.')
      body = await request.arrayBuffer()
      if (body.byteLength > MAX_PROXY_BODY_BYTES)
        throw new ProxyRefusal(413, 'payload_too_large', 'The request body is larger than 1 MiB.')
    }
    let answer: Response
    try {
      answer = await o.fetch(target, {
        method: request.method,
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(o.timeoutMs ?? 30_000),
      })
    } catch {
      throw new ProxyRefusal(
        502,
        'agent_unreachable',
        'The Clavis agent did not answer. Start it with `npm start`, or check CLAVIS_AGENT_URL.',
      )
    }
    const out = new Headers()
    for (const name of RESPONSE_HEADERS) {
      const value = answer.headers.get(name)
      if (value !== null) out.set(name, value)
    }
    out.set('x-content-type-options', 'nosniff')
    return new Response(answer.body, { status: answer.status, headers: out })
  } catch (error) {
    if (!(error instanceof ProxyRefusal)) throw error
    return Response.json(
      { code: error.code, message: error.message },
      { status: error.status, headers: { 'cache-control': 'no-store' } },
    )
  }
}
