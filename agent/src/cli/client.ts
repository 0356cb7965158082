import { CliError, type CliIssue } from './errors'

/** Where the agent is and which token to send. */
export interface ClientOptions {
  agentUrl: string
  token: string | undefined
}

/** How the agent's field names read on this command line: `{ validUntil: '--valid-until' }`. */
export type FieldNames = Record<string, string>

/** The agent URL from a flag or the environment. */
export function agentUrlFrom(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return (flag ?? env.CLAVIS_AGENT_URL ?? `http://127.0.0.1:${env.CLAVIS_AGENT_PORT ?? '8787'}`).replace(
    /\/$/,
    '',
  )
}

interface ErrorBody {
  code?: string
  message?: string
  path?: string
  issues?: { path?: string; message?: string }[]
}

/** Names a field the way the user wrote it: a flag, or a path inside a file. */
function nameOf(path: string, fields: FieldNames): string {
  if (Object.hasOwn(fields, path)) return fields[path]!
  const [head, ...rest] = path.split('.')
  if (head && Object.hasOwn(fields, head)) return `${fields[head]} ${rest.join('.')}`.trim()
  return path
}

function toCliError(status: number, body: ErrorBody, fields: FieldNames): CliError {
  const issues: CliIssue[] = (body.issues ?? [])
    .filter((i) => typeof i.path === 'string' && typeof i.message === 'string')
    .map((i) => ({ path: nameOf(i.path!, fields), message: i.message! }))
  let message = body.message ?? `HTTP ${status}`
  if (issues.length > 1) {
    message = `${issues.length} problems:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`
  } else if (issues.length === 1) {
    message = `${issues[0]!.path}: ${issues[0]!.message}`
  } else if (body.path) {
    message = `${nameOf(body.path, fields)}: ${message}`
  }
  return new CliError(message, body.code ?? `http_${status}`, 1, issues)
}

/**
 * Calls the agent's API; throws `CliError` with the API's code and every bad field named as the
 * user wrote it.
 *
 * @example
 * const health = await call({ agentUrl, token: undefined }, 'GET', '/v1/health')
 */
export async function call<T = unknown>(
  options: ClientOptions,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  fields: FieldNames = {},
): Promise<T> {
  let res: Response
  try {
    res = await fetch(`${options.agentUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(120_000),
    })
  } catch (e) {
    const why = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message
    throw new CliError(
      `Cannot reach the agent at ${options.agentUrl} (${why}). Start it with \`npm start\` in the repository, or set CLAVIS_AGENT_URL.`,
      'agent_unreachable',
    )
  }
  const text = await res.text()
  let json: unknown
  try {
    json = text ? JSON.parse(text) : {}
  } catch {
    throw new CliError(
      `The agent at ${options.agentUrl} answered ${res.status} with a body that is not JSON.`,
      'bad_response',
    )
  }
  if (!res.ok) {
    // A proxy in front of the agent may answer JSON that is not an error body (null, a string).
    throw toCliError(res.status, (json !== null && typeof json === 'object' ? json : {}) as ErrorBody, fields)
  }
  return json as T
}
