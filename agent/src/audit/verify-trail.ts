import type { AgentContext } from '../context'
import type { ChainProblem } from './chain'
import { listCheckpoints, verifyCheckpoint } from './checkpoints'
import { AGENT_CHAIN, verifyStoredChain } from './trail'

/** A checkpoint looked at while verifying: where it came from, and whether it could be used. */
export interface CheckedCheckpoint {
  size: number
  head: string
  source: 'database' | 'given'
  verified: boolean
  reason?: string
}

export type TrailVerification = {
  chain: string
  ok: boolean
  /** Entries checked before the verdict. */
  count: number
  lastSeq?: number
  head?: string
  problem?: ChainProblem | { code: 'checkpoint_invalid'; seq: number; message: string }
  checkpoints: CheckedCheckpoint[]
}

/**
 * Verifies an organisation's trail (or the agent's, `AGENT_CHAIN`) from its first entry: every
 * link and hash, and the head at each signed checkpoint — those kept in the database and any
 * `given` (kept by a patient, a partner, a regulator). A checkpoint whose signature does not
 * verify is a finding too: a stored one was forged or altered.
 */
export async function verifyTrail(
  ctx: AgentContext,
  chain: string,
  options: { given?: readonly string[]; onProgress?: (checked: number) => void } = {},
): Promise<TrailVerification> {
  const checkpoints: CheckedCheckpoint[] = []
  const heads: { seq: number; hash: string }[] = []
  let badCheckpoint: TrailVerification['problem']
  const sources: { jwt: string; source: 'database' | 'given'; size?: number; head?: string }[] = [
    // The newest stored checkpoints: each entry's hash covers every one before it, so the latest
    // heads find a rewrite or a truncation anywhere before them.
    ...(await listCheckpoints(ctx, chain, 10)).map((c) => ({
      jwt: c.jwt,
      source: 'database' as const,
      size: c.size,
      head: c.head,
    })),
    ...(options.given ?? []).map((jwt) => ({ jwt, source: 'given' as const })),
  ]
  for (const c of sources) {
    const checked = await verifyCheckpoint(ctx, c.jwt.trim())
    const claimed = checked.ok
      ? chain === AGENT_CHAIN
        ? checked.claims.agentAudit
        : checked.claims.audit.chain === chain
          ? checked.claims.audit
          : undefined
      : undefined
    const size = claimed?.size ?? c.size ?? 0
    const head = claimed?.head ?? c.head ?? ''
    const matchesRow = c.source === 'given' || (claimed?.size === c.size && claimed?.head === c.head)
    const reason = !checked.ok
      ? checked.reason
      : !claimed
        ? 'it is a checkpoint of another organisation’s trail'
        : !matchesRow
          ? 'the stored size or head differs from what the signed checkpoint says'
          : undefined
    checkpoints.push({ size, head, source: c.source, verified: !reason, ...(reason ? { reason } : {}) })
    if (!reason) heads.push({ seq: size, hash: head })
    else if (c.source === 'database')
      badCheckpoint ??= {
        code: 'checkpoint_invalid',
        seq: size,
        message: `The stored checkpoint at entry ${size} is not valid: ${reason}.`,
      }
  }
  const result = await verifyStoredChain(ctx.db, chain, {
    expectHeads: heads.filter((h) => h.seq > 0),
    onProgress: options.onProgress,
  })
  if (!result.ok) return { chain, ok: false, count: result.count, problem: result.problem, checkpoints }
  return {
    chain,
    ok: !badCheckpoint,
    count: result.count,
    lastSeq: result.lastSeq,
    head: result.head,
    ...(badCheckpoint ? { problem: badCheckpoint } : {}),
    checkpoints,
  }
}
