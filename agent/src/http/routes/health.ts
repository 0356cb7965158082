import { Hono } from 'hono'
import type { AgentContext } from '../../context'
import { authenticate } from '../../orgs/auth'

/** How long health waits for the chain before it answers `degraded`. */
const CHAIN_PROBE_MS = 2000

async function latestBlock(ctx: AgentContext): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), CHAIN_PROBE_MS)
  })
  try {
    return await Promise.race([ctx.chain.provider.getBlockNumber(), timeout])
  } catch {
    return null
  } finally {
    clearTimeout(timer)
  }
}

/** Whether the request carries the operator's token (no error when it does not). */
async function isOperator(ctx: AgentContext, authorization: string | undefined): Promise<boolean> {
  if (!authorization) return false
  try {
    return (await authenticate(ctx, authorization)).role === 'admin'
  } catch {
    return false
  }
}

/**
 * `GET /v1/health`. Anyone: whether the agent works, and the chain id and registry address that a
 * verifier needs to resolve the organisations' did:ethr DIDs. The operator (admin token) also sees
 * the deployment: chain kind, RPC origin, database type. Never waits more than 2 s for the chain.
 */
export function healthRoutes(ctx: AgentContext): Hono {
  return new Hono().get('/health', async (c) => {
    const block = await latestBlock(ctx)
    const status: 'ok' | 'degraded' = block === null ? 'degraded' : 'ok'
    const chain = { chainId: ctx.chain.chainId, registry: ctx.chain.registry, latestBlock: block }
    const body = (await isOperator(ctx, c.req.header('authorization')))
      ? {
          status,
          version: '0.1.0',
          chain: {
            ...chain,
            embedded: ctx.chain.embedded,
            rpcOrigin: new URL(ctx.chain.rpcUrl).origin,
          },
          database: { type: ctx.config.database.type },
        }
      : { status, chain }
    return c.json(body, status === 'ok' ? 200 : 503)
  })
}
