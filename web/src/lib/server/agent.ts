import {
  ApiError,
  createApiClient,
  type InputOf,
  OPERATIONS,
  type OperationName,
  type OutputOf,
} from '@clavis/api/client'
import { AgentResponseError, describeAgentError } from '../status/parse'
import type { AgentProblem, AgentResult } from '../status/types'

/** Where the agent listens when `CLAVIS_AGENT_URL` is not set. */
export const DEFAULT_AGENT_URL = 'http://127.0.0.1:8787'

const START_HINT = 'Start the system with `pnpm start`, or set `CLAVIS_AGENT_URL` to where the agent listens.'
const MAX_BODY_CHARS = 1_000_000

/** The operations the page can ask for as they are: no token, no parameters, no body. */
export type PublicReading = {
  [N in OperationName]: (typeof OPERATIONS)[N] extends { method: 'GET'; auth: 'public' }
    ? object extends InputOf<N>
      ? N
      : never
    : never
}[OperationName]

export interface GetFromAgentParameters<N extends PublicReading, T> {
  /** The agent's base URL, e.g. `http://127.0.0.1:8787`. */
  agentUrl: string
  /** The operation of the agent's API (`@clavis/api`), e.g. `getHealth`. */
  operation: N
  /** Keeps what the page shows of the (contract-checked) answer; throws {@link AgentResponseError} if unusable. */
  parse: (body: OutputOf<N>) => T
  fetch: typeof globalThis.fetch
  /** Limit for the whole request, body included. */
  timeoutMs?: number
}

/**
 * Asks the agent for one resource through the typed client of `@clavis/api`, which checks the
 * answer against the contract. Never throws for network or agent trouble: returns
 * `{ ok: false, problem }` with a message the page can show and a hint on what to do.
 *
 * @example
 * const health = await getFromAgent({ agentUrl, operation: 'getHealth', parse: parseHealth, fetch })
 * if (!health.ok) console.log(health.problem.hint)
 */
export async function getFromAgent<N extends PublicReading, T>(
  params: GetFromAgentParameters<N, T>,
): Promise<AgentResult<T>> {
  const { agentUrl, operation, parse, fetch, timeoutMs = 3000 } = params
  const path = OPERATIONS[operation].path
  const baseUrl = httpUrl(agentUrl)
  if (!baseUrl) {
    return fail({
      code: 'invalid_agent_url',
      message: '`CLAVIS_AGENT_URL` is not a valid http(s) URL.',
      hint: 'Set `CLAVIS_AGENT_URL` to the agent’s address, e.g. `http://127.0.0.1:8787`, and restart the web server.',
    })
  }
  const api = createApiClient({ baseUrl, fetch, timeoutMs, maxResponseChars: MAX_BODY_CHARS })
  let body: OutputOf<N>
  try {
    body = (await api.call(operation as PublicReading)) as OutputOf<N>
  } catch (error) {
    if (error instanceof ApiError) return fail(problemOf(error, path, timeoutMs))
    throw error
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

/** The agent URL if it is http(s) (any path prefix kept, e.g. behind a reverse proxy). */
function httpUrl(agentUrl: string): string | undefined {
  try {
    const base = new URL(agentUrl)
    return base.protocol === 'http:' || base.protocol === 'https:' ? base.href.replace(/\/+$/, '') : undefined
  } catch {
    return undefined
  }
}

function problemOf(error: ApiError, path: string, timeoutMs: number): AgentProblem {
  switch (error.code) {
    case 'agent_timeout':
      return {
        code: 'agent_timeout',
        message: `The Clavis agent did not answer within ${timeoutMs / 1000} s.`,
        hint: `It may still be starting (the first start sets up the chain and demo organisations): wait a moment and reload. ${START_HINT}`,
      }
    case 'agent_unreachable':
      return { code: 'agent_unreachable', message: 'The Clavis agent is unreachable.', hint: START_HINT }
    case 'bad_response':
      return badResponse(error.message)
    default: {
      const detail = describeAgentError(error.body)
      return {
        code: 'agent_error',
        message: `The agent answered ${path} with HTTP ${error.status}${detail ? ` (${detail})` : ''}.`,
        hint: 'Check the agent’s log; restarting it with `pnpm start` may help.',
      }
    }
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
