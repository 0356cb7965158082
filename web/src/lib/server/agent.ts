import { AgentResponseError, describeAgentError } from '../status/parse'
import type { AgentProblem, AgentResult } from '../status/types'

/** Where the agent listens when `CLAVIS_AGENT_URL` is not set. */
export const DEFAULT_AGENT_URL = 'http://127.0.0.1:8787'

const START_HINT = 'Start the system with `pnpm start`, or set `CLAVIS_AGENT_URL` to where the agent listens.'
const MAX_BODY_CHARS = 1_000_000

export interface GetFromAgentParameters<T> {
  /** The agent's base URL, e.g. `http://127.0.0.1:8787`. */
  agentUrl: string
  /** The API path, e.g. `/v1/health`. */
  path: `/${string}`
  /** Checks the JSON body of a 2xx answer; throws {@link AgentResponseError} if it is wrong. */
  parse: (body: unknown) => T
  fetch: typeof globalThis.fetch
  /** Limit for the whole request, body included. */
  timeoutMs?: number
}

/**
 * GETs one resource from the agent's JSON API. Never throws for network or agent trouble:
 * returns `{ ok: false, problem }` with a message the page can show and a hint on what to do.
 *
 * @example
 * const health = await getFromAgent({ agentUrl, path: '/v1/health', parse: parseHealth, fetch })
 * if (!health.ok) console.log(health.problem.hint)
 */
export async function getFromAgent<T>(params: GetFromAgentParameters<T>): Promise<AgentResult<T>> {
  const { agentUrl, path, parse, fetch, timeoutMs = 3000 } = params
  const url = resolveAgentUrl(agentUrl, path)
  if (!url) {
    return fail({
      code: 'invalid_agent_url',
      message: '`CLAVIS_AGENT_URL` is not a valid http(s) URL.',
      hint: 'Set `CLAVIS_AGENT_URL` to the agent’s address, e.g. `http://127.0.0.1:8787`, and restart the web server.',
    })
  }
  let status: number
  let raw: string
  try {
    const response = await fetch(url, {
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    })
    status = response.status
    raw = await response.text()
  } catch (error) {
    return fail(networkProblem(error, timeoutMs))
  }
  if (raw.length > MAX_BODY_CHARS) {
    return fail(badResponse(`${path} answered with more than ${MAX_BODY_CHARS} characters.`))
  }
  let body: unknown
  try {
    body = JSON.parse(raw)
  } catch {
    return fail(badResponse(`${path} answered HTTP ${status} with a body that is not JSON.`))
  }
  if (status < 200 || status > 299) {
    const detail = describeAgentError(body)
    return fail({
      code: 'agent_error',
      message: `The agent answered ${path} with HTTP ${status}${detail ? ` (${detail})` : ''}.`,
      hint: 'Check the agent’s log; restarting it with `pnpm start` may help.',
    })
  }
  try {
    return { ok: true, value: parse(body) }
  } catch (error) {
    if (error instanceof AgentResponseError) {
      return fail(badResponse(`${path} answered with an unexpected body (${error.message}).`))
    }
    throw error
  }
}

function resolveAgentUrl(agentUrl: string, path: string): URL | undefined {
  try {
    const base = new URL(agentUrl)
    if (base.protocol !== 'http:' && base.protocol !== 'https:') return undefined
    // Keep any path prefix of the base URL (e.g. behind a reverse proxy).
    return new URL(base.pathname.replace(/\/+$/, '') + path, base)
  } catch {
    return undefined
  }
}

function networkProblem(error: unknown, timeoutMs: number): AgentProblem {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return {
      code: 'agent_timeout',
      message: `The Clavis agent did not answer within ${timeoutMs / 1000} s.`,
      hint: `It may still be starting (the first start sets up the chain and demo organisations): wait a moment and reload. ${START_HINT}`,
    }
  }
  return {
    code: 'agent_unreachable',
    message: 'The Clavis agent is unreachable.',
    hint: START_HINT,
  }
}

function badResponse(message: string): AgentProblem {
  return {
    code: 'agent_bad_response',
    message,
    hint: 'Check that `CLAVIS_AGENT_URL` points at a Clavis agent of a matching version.',
  }
}

function fail(problem: AgentProblem): { ok: false; problem: AgentProblem } {
  return { ok: false, problem }
}
