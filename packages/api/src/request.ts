import type { Operation } from './operation'

/** What a call may carry, before the operation's types narrow it. */
export interface RawInput {
  params?: Record<string, string>
  query?: Record<string, unknown>
  headers?: Record<string, unknown>
  body?: unknown
  contentType?: string
}

/**
 * The URL of a call: the base URL (any path prefix kept), the path with its parameters
 * percent-encoded, and the query parameters that are set.
 *
 * @example
 * requestUrl('http://127.0.0.1:8787', OPERATIONS.getCredential, { params: { id, credentialId } })
 */
export function requestUrl(baseUrl: string, op: Operation, input: RawInput): string {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = input.params?.[name]
    if (value === undefined)
      throw new TypeError(`${op.method} ${op.path}: the path parameter "${name}" is missing`)
    return encodeURIComponent(value)
  })
  const query = new URLSearchParams()
  for (const [name, value] of Object.entries(input.query ?? {})) {
    if (value !== undefined) query.append(name, String(value))
  }
  const search = query.toString()
  return `${baseUrl.replace(/\/+$/, '')}${path}${search ? `?${search}` : ''}`
}

/** The headers and body of a call: JSON, or text of the operation's media type. */
export function requestInit(
  op: Operation,
  input: RawInput,
  token: string | undefined,
): { headers: Record<string, string>; body?: string } {
  const headers: Record<string, string> = {}
  const answer = Object.values(op.responses)[0]
  headers.accept = answer?.kind === 'text' ? answer.mediaTypes.join(', ') : 'application/json'
  if (token) headers.authorization = `Bearer ${token}`
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = String(value)
  }
  if (!op.body) return { headers }
  if (op.body.kind === 'text') {
    headers['content-type'] = input.contentType ?? op.body.mediaTypes[0]
    return { headers, body: String(input.body) }
  }
  headers['content-type'] = 'application/json'
  return { headers, body: JSON.stringify(input.body) }
}
