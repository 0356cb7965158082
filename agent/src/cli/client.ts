import { type ApiClient, type ApiError, createApiClient } from '@clavis/api/client'
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

/** Names a field the way the user wrote it: a flag, or a path inside a file. */
function nameOf(path: string, fields: FieldNames): string {
  if (Object.hasOwn(fields, path)) return fields[path]!
  const [head, ...rest] = path.split('.')
  if (head && Object.hasOwn(fields, head)) return `${fields[head]} ${rest.join('.')}`.trim()
  return path
}

/**
 * The CLI's error for a failed call: the API's code and message, every bad field named as the
 * user wrote it (a flag, or a path in a file).
 */
export function toCliError(error: ApiError, agentUrl: string, fields: FieldNames): CliError {
  if (error.code === 'agent_unreachable' || error.code === 'agent_timeout') {
    const cause = error.cause as { cause?: { code?: string }; message?: string } | undefined
    const why = cause?.cause?.code ?? cause?.message ?? error.message
    return new CliError(
      `Cannot reach the agent at ${agentUrl} (${why}). Start it with \`npm start\` in the repository, or set CLAVIS_AGENT_URL.`,
      'agent_unreachable',
    )
  }
  if (error.code === 'bad_response') return new CliError(error.message, 'bad_response')
  const issues: CliIssue[] = error.issues.map((i) => ({ path: nameOf(i.path, fields), message: i.message }))
  let message = error.message
  if (issues.length > 1) {
    message = `${issues.length} problems:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`
  } else if (issues.length === 1) {
    message = `${issues[0]!.path}: ${issues[0]!.message}`
  } else if (error.path) {
    message = `${nameOf(error.path, fields)}: ${message}`
  }
  // An answer that is not an error body keeps its own code if it has one (a proxy, a newer agent).
  const said = (error.body as { code?: unknown } | undefined)?.code
  const code =
    error.code !== 'http_error' ? error.code : typeof said === 'string' ? said : `http_${error.status}`
  return new CliError(message, code, 1, issues)
}

/**
 * The agent's API for one command: the typed client of `@clavis/api`, whose failures throw
 * `CliError` naming the bad fields as `fields` says. Answers are checked against the contract.
 *
 * @example
 * const r = await cliApi(s.staffClient(), { type: '--type' }).addDidService({ params: { id }, body })
 */
export function cliApi(options: ClientOptions, fields: FieldNames = {}): ApiClient {
  return createApiClient({
    baseUrl: options.agentUrl,
    token: options.token,
    timeoutMs: 120_000,
    mapError: (e) => toCliError(e, options.agentUrl, fields),
  })
}
