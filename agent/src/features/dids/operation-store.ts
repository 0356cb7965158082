import { ClavisError } from '@clavis/errors'
import type { IKey } from '@veramo/core-types'
import type { EntityManager } from 'typeorm'
import type { AgentContext } from '../../context'
import { isUniqueViolation } from '../../db/sql'
import { newId, nowIso } from '../../util/ids'
import { deleteKey } from './controller'
import { DidEventEntity, DidOperationEntity, type DidOperationKind, type DidOperationRow } from './entities'

/**
 * Records the intent of a DID change before any of it happens (state `pending`). Only one
 * unfinished change per organisation, across agent processes: a second is 409 `conflict`.
 *
 * @example
 * const op = await openOperation(ctx, { organisationId, kind: 'rotate', params: { oldKid, newKid } })
 */
export async function openOperation(
  ctx: Pick<AgentContext, 'db'>,
  input: { organisationId: string; kind: DidOperationKind; params: Record<string, unknown> },
  /** Record it inside this transaction (with what else it writes) instead of on its own. */
  m: EntityManager = ctx.db.manager,
): Promise<DidOperationRow> {
  const row: DidOperationRow = {
    id: newId(),
    organisationId: input.organisationId,
    kind: input.kind,
    params: JSON.stringify(input.params),
    state: 'pending',
    result: null,
    createdAt: nowIso(),
    updatedAt: nowIso(),
  }
  try {
    await m.getRepository(DidOperationEntity).insert(row)
  } catch (e) {
    if (!isUniqueViolation(e)) throw e
    throw new ClavisError({
      code: 'conflict',
      message:
        "Another change to this organisation's DID is under way (it is completed, also after a restart). Retry when it is done.",
    })
  }
  return row
}

/** The operation's params, as stored. */
export function paramsOf<T>(op: DidOperationRow): T {
  return JSON.parse(op.params) as T
}

/**
 * Moves an operation on inside the caller's transaction, with the DID event that records it (once:
 * the event is written with the move from `pending`).
 */
export async function commitOperation(
  m: EntityManager,
  op: DidOperationRow,
  input: {
    state: 'committed' | 'done'
    result: unknown
    event: { kind: string; detail: Record<string, unknown>; txHash: string | null }
  },
): Promise<void> {
  const moved = await m
    .getRepository(DidOperationEntity)
    .update(
      { id: op.id, state: 'pending' },
      { state: input.state, result: JSON.stringify(input.result), updatedAt: nowIso() },
    )
  if (moved.affected !== 1) return
  await m.getRepository(DidEventEntity).insert({
    id: newId(),
    organisationId: op.organisationId,
    kind: input.event.kind,
    detail: JSON.stringify(input.event.detail),
    txHash: input.event.txHash,
    at: nowIso(),
  })
  op.state = input.state
  op.result = JSON.stringify(input.result)
}

/** Marks a committed operation done (its leftover keys are deleted). */
export async function finishOperation(ctx: Pick<AgentContext, 'db'>, op: DidOperationRow): Promise<void> {
  await ctx.db.getRepository(DidOperationEntity).update({ id: op.id }, { state: 'done', updatedAt: nowIso() })
  op.state = 'done'
}

/** Operations not yet done, oldest first. */
export function openOperations(ctx: Pick<AgentContext, 'db'>): Promise<DidOperationRow[]> {
  return ctx.db
    .getRepository(DidOperationEntity)
    .createQueryBuilder('o')
    .where("o.state <> 'done'")
    .orderBy('o.createdAt', 'ASC')
    .getMany()
}

/**
 * Runs `work` on operation `op` while marking it as advanced by this process; when `work` moves it
 * on from `pending` (the change is on chain and recorded), reports the change to the audit port.
 *
 * @example
 * await whileAdvancing(ctx, op, () => advanceRotation(ctx, op))
 */
export async function whileAdvancing<T>(
  ctx: AgentContext,
  op: DidOperationRow,
  work: () => Promise<T>,
): Promise<T> {
  const ids = ctx.caches.advancing
  const wasPending = op.state === 'pending'
  ids.add(op.id)
  try {
    const result = await work()
    if (wasPending && op.state !== 'pending') {
      await ctx.audit.record({
        kind: 'did.changed',
        organisationId: op.organisationId,
        operation: op.kind,
        operationId: op.id,
      })
    }
    return result
  } finally {
    ids.delete(op.id)
  }
}

/** The operations this process is advancing right now. */
export function advancingNow(ctx: AgentContext): ReadonlySet<string> {
  return ctx.caches.advancing
}

type OperationInput = { organisationId: string; kind: DidOperationKind; params: Record<string, unknown> }

/**
 * Records a DID operation and advances it (the request's part; reconciliation completes whatever a
 * crash interrupts).
 *
 * @example
 * return runOperation(ctx, { organisationId, kind: 'deactivate', params: {} }, advanceDeactivation)
 */
export async function runOperation<T>(
  ctx: AgentContext,
  input: OperationInput,
  advance: (ctx: AgentContext, op: DidOperationRow) => Promise<T>,
): Promise<T> {
  const op = await openOperation(ctx, input)
  return whileAdvancing(ctx, op, () => advance(ctx, op))
}

/**
 * As {@link runOperation}, for an operation that brings new keys: `count` keys (default one) are
 * created in the key store first (the intent names them), and deleted again if the intent cannot be
 * recorded.
 */
export async function runOperationWithNewKeys<T>(
  ctx: AgentContext,
  input: Omit<OperationInput, 'params'> & {
    count?: number
    params: (keys: IKey[]) => Record<string, unknown>
  },
  advance: (ctx: AgentContext, op: DidOperationRow) => Promise<T>,
): Promise<T> {
  const keys: IKey[] = []
  let op: DidOperationRow
  try {
    for (let i = 0; i < (input.count ?? 1); i++)
      keys.push(await ctx.veramo.keyManagerCreate({ kms: 'local', type: 'Secp256k1' }))
    op = await openOperation(ctx, { ...input, params: input.params(keys) })
  } catch (e) {
    for (const key of keys) await deleteKey(ctx, key.kid).catch(() => undefined)
    throw e
  }
  return whileAdvancing(ctx, op, () => advance(ctx, op))
}

/** {@link runOperationWithNewKeys} with one new key. */
export function runOperationWithNewKey<T>(
  ctx: AgentContext,
  input: Omit<OperationInput, 'params'> & { params: (key: IKey) => Record<string, unknown> },
  advance: (ctx: AgentContext, op: DidOperationRow) => Promise<T>,
): Promise<T> {
  return runOperationWithNewKeys(ctx, { ...input, params: ([key]) => input.params(key!) }, advance)
}
