import type { AgentHealth, Organisation } from './types'

/** The agent's answer did not have the expected shape; `path` names the offending field. */
export class AgentResponseError extends Error {
  override readonly name = 'AgentResponseError'
  readonly code = 'agent_bad_response'
  constructor(
    readonly path: string,
    expected: string,
  ) {
    super(`${path}: expected ${expected}`)
  }
}

const MAX_TEXT = 1000
const ADDRESS = /^0x[0-9a-fA-F]{40}$/

type Obj = Record<string, unknown>

function object(value: unknown, path: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AgentResponseError(path, 'an object')
  }
  return value as Obj
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT) {
    throw new AgentResponseError(path, `a non-empty string of at most ${MAX_TEXT} characters`)
  }
  return value
}

function count(value: unknown, path: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new AgentResponseError(path, `an integer ≥ ${min}`)
  }
  return value
}

function oneOf<const T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new AgentResponseError(path, `one of ${allowed.map((a) => `"${a}"`).join(', ')}`)
  }
  return value as T
}

/**
 * Checks the body of `GET /v1/health` and keeps only what the page shows.
 * Throws {@link AgentResponseError} naming the first bad field.
 *
 * @example
 * const health = parseHealth(await response.json())
 * health.chain.chainId // 31337
 */
export function parseHealth(body: unknown): AgentHealth {
  const root = object(body, 'health')
  if (root.status !== 'ok') throw new AgentResponseError('health.status', '"ok"')
  const chain = object(root.chain, 'health.chain')
  const registry = chain.registry
  if (typeof registry !== 'string' || !ADDRESS.test(registry)) {
    throw new AgentResponseError('health.chain.registry', 'a 0x-prefixed 20-byte hex address')
  }
  return {
    chain: {
      chainId: count(chain.chainId, 'health.chain.chainId', 1),
      latestBlock: count(chain.latestBlock, 'health.chain.latestBlock', 0),
      registry: registry as `0x${string}`,
    },
  }
}

/**
 * Checks the body of `GET /v1/organisations`.
 * Throws {@link AgentResponseError} naming the first bad field.
 *
 * @example
 * const organisations = parseOrganisations(await response.json())
 * organisations.filter((o) => o.kind === 'hospital')
 */
export function parseOrganisations(body: unknown): Organisation[] {
  const list = object(body, 'body').organisations
  if (!Array.isArray(list)) throw new AgentResponseError('organisations', 'an array')
  return list.map((item: unknown, i) => {
    const path = `organisations[${i}]`
    const o = object(item, path)
    return {
      id: text(o.id, `${path}.id`),
      name: text(o.name, `${path}.name`),
      kind: oneOf(o.kind, `${path}.kind`, ['board', 'hospital']),
      did: text(o.did, `${path}.did`),
      createdAt: text(o.createdAt, `${path}.createdAt`),
    }
  })
}

/**
 * Reads an agent error body (`{ code, message }`) into one short line, or `undefined` if it is not one.
 *
 * @example
 * describeAgentError({ code: 'chain_unavailable', message: 'RPC down' }) // 'chain_unavailable: RPC down'
 */
export function describeAgentError(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const { code, message } = body as Obj
  if (typeof code !== 'string' || typeof message !== 'string') return undefined
  return `${code.slice(0, 100)}: ${message.slice(0, 300)}`
}
