import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** An API error as the CLI reports it. */
export class CliError extends Error {
  override readonly name = 'CliError'
  constructor(
    message: string,
    readonly code: string,
    readonly exitCode = 1,
  ) {
    super(message)
  }
}

/** Where the agent is and which token to send. */
export interface ClientOptions {
  agentUrl: string
  token: string | undefined
}

/** The agent URL from flags or environment. */
export function agentUrlFrom(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return (flag ?? env.CLAVIS_AGENT_URL ?? `http://127.0.0.1:${env.CLAVIS_AGENT_PORT ?? '8787'}`).replace(
    /\/$/,
    '',
  )
}

/** The operator token: flag, env, or `<data dir>/admin-token`. */
export function adminToken(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag) return flag
  if (env.CLAVIS_ADMIN_TOKEN) return env.CLAVIS_ADMIN_TOKEN
  const path = join(resolve(env.CLAVIS_DATA_DIR ?? './.clavis'), 'admin-token')
  try {
    return readFileSync(path, 'utf8').trim()
  } catch {
    throw new CliError(
      `No operator token: pass --token, set CLAVIS_ADMIN_TOKEN, or run where ${path} exists (created at first start).`,
      'unauthorized',
      2,
    )
  }
}

/** The staff token: flag or CLAVIS_TOKEN. */
export function staffToken(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const token = flag ?? env.CLAVIS_TOKEN
  if (!token) {
    throw new CliError(
      "No staff token: pass --token or set CLAVIS_TOKEN to your organisation's API token.",
      'unauthorized',
      2,
    )
  }
  return token
}

/**
 * Calls the agent's API; throws `CliError` with the API's code and message on any error.
 *
 * @example
 * const health = await call({ agentUrl, token: undefined }, 'GET', '/v1/health')
 */
export async function call<T = unknown>(
  options: ClientOptions,
  method: string,
  path: string,
  body?: unknown,
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
    throw new CliError(
      `Cannot reach the agent at ${options.agentUrl} (${(e as Error).message}). Start it with \`pnpm start\` or set CLAVIS_AGENT_URL.`,
      'agent_unreachable',
    )
  }
  const text = await res.text()
  let json: unknown
  try {
    json = text ? JSON.parse(text) : {}
  } catch {
    throw new CliError(`The agent answered ${res.status} with a non-JSON body.`, 'bad_response')
  }
  if (!res.ok) {
    // A proxy in front of the agent may answer JSON that is not an error body (null, a string).
    const err = (json !== null && typeof json === 'object' ? json : {}) as {
      code?: string
      message?: string
      path?: string
    }
    const where = err.path ? ` (field ${err.path})` : ''
    throw new CliError(`${err.message ?? `HTTP ${res.status}`}${where}`, err.code ?? `http_${res.status}`)
  }
  return json as T
}
