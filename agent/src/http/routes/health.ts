import { Hono } from 'hono'
import type { AgentContext } from '../../context'

/** `GET /v1/health`: chain id, latest block, registry, database. */
export function healthRoutes(ctx: AgentContext): Hono {
  return new Hono().get('/health', async (c) => {
    let latestBlock: number | null = null
    let status: 'ok' | 'degraded' = 'ok'
    try {
      latestBlock = await ctx.chain.provider.getBlockNumber()
    } catch {
      status = 'degraded'
    }
    return c.json(
      {
        status,
        version: '0.1.0',
        chain: {
          chainId: ctx.chain.chainId,
          latestBlock,
          registry: ctx.chain.registry,
          embedded: ctx.chain.embedded,
          rpcUrl: ctx.chain.embedded ? ctx.chain.rpcUrl : new URL(ctx.chain.rpcUrl).origin,
        },
        database: { type: ctx.config.database.type },
      },
      status === 'ok' ? 200 : 503,
    )
  })
}
