import { bodyOfAnswer } from './answer'
import { ApiError, type ApiRequestInfo } from './api-error'
import { type InputOf, OPERATIONS, type OperationName, type OutputOf } from './operations'
import { type RawInput, requestInit, requestUrl } from './request'

export {
  ApiError,
  type ApiErrorCode,
  type ApiRequestInfo,
  type ClientErrorCode,
  isApiError,
} from './api-error'
export { type InputOf, OPERATIONS, type OperationName, type OutputOf } from './operations'

/** How long a call may take, answer included, unless the options say otherwise. */
const DEFAULT_TIMEOUT_MS = 120_000

/** Options of {@link createApiClient}. */
export interface ApiClientOptions {
  /** Where the agent is, e.g. `http://127.0.0.1:8787` (a path prefix is kept). */
  baseUrl: string
  /** The bearer token sent with every call: an organisation's staff token, or the operator's. */
  token?: string | undefined
  /** The `fetch` to use (SvelteKit's in a load function, a fake in tests); default the global one. */
  fetch?: typeof globalThis.fetch
  /** Limit for a whole call, answer included (default 120 s); then `agent_timeout`. */
  timeoutMs?: number
  /** Check every success body against the contract's schema (default true); else trust the agent. */
  validateResponses?: boolean
  /** Refuse answers longer than this many characters (`bad_response`). */
  maxResponseChars?: number
  /** What to throw instead of an {@link ApiError} (the CLI throws its own error, naming its flags). */
  mapError?: (error: ApiError) => unknown
  /** Called with every answer read (success or not), before it is checked: for logs and tests. */
  onAnswer?: (answer: { operation: OperationName; status: number; text: string }) => void
}

/** Options of one call. */
export interface CallOptions {
  /** Aborts the call; the abort's reason is thrown as is. */
  signal?: AbortSignal
}

type Args<N extends OperationName> =
  object extends InputOf<N> ? [input?: InputOf<N> & CallOptions] : [input: InputOf<N> & CallOptions]

/**
 * The agent's API, one method per operation of `OPERATIONS`: typed input (path parameters, query,
 * headers, body) and output (the success body). Failures throw {@link ApiError}.
 */
export type ApiClient = { [N in OperationName]: (...args: Args<N>) => Promise<OutputOf<N>> } & {
  /** Calls an operation by name (the same as `client[name](input)`). */
  call<N extends OperationName>(name: N, ...args: Args<N>): Promise<OutputOf<N>>
}

/**
 * A typed client of the agent's HTTP API, for Node and browsers (`fetch` only).
 *
 * @example
 * const api = createApiClient({ baseUrl: 'http://127.0.0.1:8787', token })
 * const vc = await api.issueCredential({ params: { id: organisationId }, body: { type, subject, claims } })
 * const { valid } = await api.verifyCredential({ body: { credential: vc.jwt, verifier: hospitalId } })
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const call = async (name: OperationName, input: RawInput & CallOptions = {}) => {
    try {
      return await send(options, name, input)
    } catch (e) {
      throw e instanceof ApiError && options.mapError ? options.mapError(e) : e
    }
  }
  const client: Record<string, unknown> = {
    call: (name: OperationName, input?: RawInput & CallOptions) => call(name, input),
  }
  for (const name of Object.keys(OPERATIONS) as OperationName[]) {
    client[name] = (input?: RawInput & CallOptions) => call(name, input)
  }
  return client as ApiClient
}

async function send(
  options: ApiClientOptions,
  name: OperationName,
  input: RawInput & CallOptions,
): Promise<never> {
  const op = OPERATIONS[name]
  const request: ApiRequestInfo = {
    operation: name,
    method: op.method,
    url: requestUrl(options.baseUrl, op, input),
  }
  const { headers, body } = requestInit(op, input, options.token)
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const timeout = AbortSignal.timeout(timeoutMs)
  const signal = input.signal ? AbortSignal.any([input.signal, timeout]) : timeout
  const fetch = options.fetch ?? globalThis.fetch
  let answer: { status: number; retryAfter: string | null; text: string }
  try {
    const res = await fetch(request.url, {
      method: op.method,
      headers,
      redirect: 'error',
      signal,
      ...(body === undefined ? {} : { body }),
    })
    answer = { status: res.status, retryAfter: res.headers.get('retry-after'), text: await res.text() }
  } catch (e) {
    if (input.signal?.aborted) throw input.signal.reason
    throw noAnswer(e, request, options.baseUrl, timeout.aborted ? timeoutMs : undefined)
  }
  options.onAnswer?.({ operation: name, status: answer.status, text: answer.text })
  return bodyOfAnswer(op, request, answer, {
    baseUrl: options.baseUrl,
    validate: options.validateResponses ?? true,
    maxChars: options.maxResponseChars,
  }) as never
}

/** No answer: the agent is not there (or a redirect was refused), or did not answer in time. */
function noAnswer(
  e: unknown,
  request: ApiRequestInfo,
  baseUrl: string,
  timedOutAfterMs: number | undefined,
): ApiError {
  if (timedOutAfterMs !== undefined) {
    return new ApiError({
      code: 'agent_timeout',
      message: `The agent at ${baseUrl} did not answer within ${timedOutAfterMs / 1000} s.`,
      request,
      cause: e,
    })
  }
  const why = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message
  return new ApiError({
    code: 'agent_unreachable',
    message: `Cannot reach the agent at ${baseUrl} (${why}).`,
    request,
    cause: e,
  })
}
