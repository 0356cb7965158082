import { ApiError, type ApiRequestInfo } from './api-error'
import { errorBodySchema } from './error-body'
import type { Operation } from './operation'
import { toFieldIssues } from './parse'

/** An answer as received. */
export interface RawAnswer {
  status: number
  /** The `Retry-After` header, if any. */
  retryAfter: string | null
  text: string
}

/** How strictly answers are read. */
export interface AnswerRules {
  baseUrl: string
  /** Check success bodies against the operation's response schema. */
  validate: boolean
  /** Refuse answers longer than this (characters). */
  maxChars: number | undefined
}

/**
 * The body of a successful answer (as received: checked, never transformed), or the
 * {@link ApiError} that the answer means.
 *
 * @example
 * const body = bodyOfAnswer(OPERATIONS.getHealth, request, answer, rules)
 */
export function bodyOfAnswer(
  op: Operation,
  request: ApiRequestInfo,
  answer: RawAnswer,
  rules: AnswerRules,
): unknown {
  const { status, text } = answer
  const where = `${op.method} ${op.path}`
  const fail = (options: Omit<ConstructorParameters<typeof ApiError>[0], 'request' | 'status'>) =>
    new ApiError({ ...options, request, status })
  if (rules.maxChars !== undefined && text.length > rules.maxChars) {
    throw fail({
      code: 'bad_response',
      message: `The agent at ${rules.baseUrl} answered ${where} with more than ${rules.maxChars} characters.`,
    })
  }
  const ok = status >= 200 && status <= 299
  const spec = ok ? (op.responses[status] ?? Object.values(op.responses)[0]) : undefined
  if (spec?.kind === 'text') {
    if (rules.validate && !spec.schema.safeParse(text).success)
      throw fail({
        code: 'bad_response',
        message: `The agent at ${rules.baseUrl} answered ${where} with an empty body.`,
      })
    return text
  }
  let body: unknown
  try {
    body = ok || text !== '' ? JSON.parse(text) : undefined
  } catch {
    throw fail({
      code: 'bad_response',
      message: `The agent at ${rules.baseUrl} answered ${status} with a body that is not JSON.`,
      body: text,
    })
  }
  if (!ok) throw errorOf(status, body, answer.retryAfter, request)
  if (!rules.validate || !spec) return body
  if (op.responses[status] === undefined) {
    throw fail({
      code: 'bad_response',
      message: `The agent at ${rules.baseUrl} answered ${where} with HTTP ${status}, which the contract does not document.`,
      body,
    })
  }
  const checked = spec.schema.safeParse(body)
  if (checked.success) return body
  const issues = toFieldIssues(checked.error.issues)
  const first = issues[0]
  throw fail({
    code: 'bad_response',
    message: `The agent at ${rules.baseUrl} answered ${where} with an unexpected body (${first?.path}: ${first?.message}).`,
    issues,
    body,
  })
}

/** The error an error answer means: the agent's error body, or `http_error` when it is not one. */
function errorOf(
  status: number,
  body: unknown,
  retryAfter: string | null,
  request: ApiRequestInfo,
): ApiError {
  const retryAfterSeconds = retryAfter && /^\d{1,6}$/.test(retryAfter) ? Number(retryAfter) : undefined
  const parsed = errorBodySchema.safeParse(body)
  if (parsed.success) {
    const { code, message, path, issues } = parsed.data
    return new ApiError({ code, message, status, path, issues, retryAfterSeconds, request, body })
  }
  // Not an error body (a proxy's answer, or an agent newer than this client): keep what it says.
  const said = typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : undefined
  return new ApiError({
    code: 'http_error',
    message: typeof said === 'string' ? said : `HTTP ${status}`,
    status,
    retryAfterSeconds,
    request,
    body,
  })
}
