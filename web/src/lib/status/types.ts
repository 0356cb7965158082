/** The chain the agent writes to, as reported by `GET /v1/health`. */
export interface ChainStatus {
  chainId: number
  latestBlock: number
  /** The ERC-1056 registry contract address. */
  registry: `0x${string}`
}

/**
 * The agent's public health, as shown on the status page: what anyone may know (the deployment's
 * details — RPC URL, database — are for the operator only and are not asked for).
 */
export interface AgentHealth {
  chain: ChainStatus
}

/** An organisation the agent holds keys for. `name` is free text from the agent: render as text only. */
export interface Organisation {
  id: string
  name: string
  kind: 'board' | 'hospital'
  did: string
  createdAt: string
}

/** Why the status page could not get something from the agent. */
export type AgentProblemCode =
  | 'invalid_agent_url'
  | 'agent_unreachable'
  | 'agent_timeout'
  | 'agent_error'
  | 'agent_bad_response'

/** A problem talking to the agent, with what to do about it. Safe to send to the browser. */
export interface AgentProblem {
  code: AgentProblemCode
  message: string
  /** What the operator should do next. */
  hint: string
}

/** The result of one request to the agent. */
export type AgentResult<T> = { ok: true; value: T } | { ok: false; problem: AgentProblem }
