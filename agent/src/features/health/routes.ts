import { statfsSync } from 'node:fs'
import { Hono } from 'hono'
import type { AgentContext } from '../../context'
import { holds } from '../../http/auth'
import { authenticate } from '../organisations/tokens'

/** How long health waits for the chain before it answers `degraded`. */
const CHAIN_PROBE_MS = 2000
/** Below this much free space in the data folder, writes may fail: health says degraded. */
const LOW_DISK_BYTES = 16 * 1024 * 1024

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

function freeBytes(dir: string): number | null {
  try {
    const s = statfsSync(dir)
    return s.bavail * s.bsize
  } catch {
    return null
  }
}

/** Whether the request may see health's details (no error when it may not, or the database is down). */
async function mayReadDetails(ctx: AgentContext, authorization: string | undefined): Promise<boolean> {
  if (!authorization) return false
  try {
    return holds(await authenticate(ctx, authorization), 'health:details')
  } catch {
    return false
  }
}

/**
 * `GET /v1/health`. Anyone: whether the agent works (`ok`, or `degraded` with 503 when the chain
 * does not answer within 2 s; `degraded` with 200 when the disk is nearly full or the chain and
 * the database are out of step), and the chain id and registry address a verifier needs. The
 * operator (admin token) also sees why: the chain process, the RPC origin, the database, free disk
 * space and what reconciliation could not fix. Never waits more than 2 s.
 */
export function healthRoutes(ctx: AgentContext): Hono {
  return new Hono().get('/health', async (c) => {
    const block = await latestBlock(ctx)
    const disk = freeBytes(ctx.config.dataDir)
    const problems = [
      ...(block === null ? ['the chain does not answer'] : []),
      ...(disk !== null && disk < LOW_DISK_BYTES ? [`the data folder has ${disk} bytes free`] : []),
      ...ctx.reconciliation.problems,
    ]
    const status: 'ok' | 'degraded' = problems.length === 0 ? 'ok' : 'degraded'
    const chain = { chainId: ctx.chain.chainId, registry: ctx.chain.registry, latestBlock: block }
    const body = (await mayReadDetails(ctx, c.req.header('authorization')))
      ? {
          status,
          version: '0.1.0',
          publicUrl: ctx.publicUrl,
          problems,
          chain: {
            ...chain,
            embedded: ctx.chain.embedded,
            rpcOrigin: new URL(ctx.chain.rpcUrl).origin,
            ...(ctx.chain.process() ? { process: ctx.chain.process() } : {}),
          },
          database: { type: ctx.config.database.type },
          disk: { freeBytes: disk },
        }
      : { status, chain, publicUrl: ctx.publicUrl }
    if (block === null) c.header('Retry-After', '5')
    return c.json(body, block === null ? 503 : 200)
  })
}
