import { ClavisError } from '@clavis/errors'
import { readValidEntries } from '../../chain/did-entries'
import type { AgentContext } from '../../context'
import { getOrganisation } from '../organisations/organisations'
import { attributeValue, KEY_ATTRIBUTE, LONG_VALIDITY_SECONDS } from './attributes'
import {
  activeOrganisation,
  deleteKey,
  identifierAndController,
  keyInStore,
  normalisePublicKey,
  writeAs,
} from './controller'
import { AssertionKeyEntity, type DidOperationRow } from './entities'
import {
  commitOperation,
  finishOperation,
  paramsOf,
  runOperation,
  runOperationWithNewKey,
} from './operation-store'

interface KeyParams {
  kid: string
  publicKeyHex: string
  validitySeconds: number
}

async function keyOnChain(ctx: AgentContext, did: string, publicKeyHex: string): Promise<boolean> {
  const { attributes } = await readValidEntries({
    provider: ctx.chain.provider,
    registry: ctx.chain.registry,
    did,
    now: new Date(),
  })
  return attributes.some((a) => a.name === KEY_ATTRIBUTE && a.value === attributeValue(publicKeyHex))
}

/**
 * Creates a new secp256k1 key in the key store and publishes it on chain as a delegate
 * verification key of the organisation's DID (`did/pub/Secp256k1/veriKey/hex`). Crash-safe: the
 * intent (with the key, already in the key store) is recorded first and completed by
 * {@link advanceAddKey}, also at the next start.
 *
 * @example
 * const { kid } = await addDelegateKey(ctx, { organisationId, validitySeconds: 86400 })
 */
export async function addDelegateKey(
  ctx: AgentContext,
  input: { organisationId: string; validitySeconds?: number | undefined },
): Promise<{ kid: string; publicKeyHex: string; txHash: string | null; validUntil: string }> {
  const org = await activeOrganisation(ctx, input.organisationId)
  return runOperationWithNewKey(
    ctx,
    {
      organisationId: org.id,
      kind: 'add-key',
      params: (key) =>
        ({
          kid: key.kid,
          publicKeyHex: key.publicKeyHex,
          validitySeconds: input.validitySeconds ?? LONG_VALIDITY_SECONDS,
        }) satisfies KeyParams,
    },
    advanceAddKey,
  )
}

/** Publishes the key unless it is on chain, links it to the DID in the key store; idempotent. */
export async function advanceAddKey(
  ctx: AgentContext,
  op: DidOperationRow,
): Promise<{ kid: string; publicKeyHex: string; txHash: string | null; validUntil: string }> {
  const p = paramsOf<KeyParams>(op)
  if (op.state !== 'pending') return JSON.parse(op.result!)
  const org = await getOrganisation(ctx, op.organisationId)
  const { identifier, controller } = await identifierAndController(ctx, org.did)
  let txHash: string | null = null
  if (!(await keyOnChain(ctx, org.did, p.publicKeyHex))) {
    txHash = await writeAs(ctx, identifier, controller, (d) =>
      d.setAttribute(KEY_ATTRIBUTE, attributeValue(p.publicKeyHex), p.validitySeconds),
    )
  }
  if (!identifier.keys.some((k) => k.kid === p.kid)) {
    const key = await keyInStore(ctx, p.kid)
    if (!key) throw new Error(`add-key ${op.id}: the key ${p.kid} is not in the key store`)
    await ctx.veramo.didManagerAddKey({ did: org.did, key, options: { localOnly: true } })
  }
  const result = {
    kid: p.kid,
    publicKeyHex: p.publicKeyHex,
    txHash,
    validUntil: new Date(Date.parse(op.createdAt) + p.validitySeconds * 1000).toISOString(),
  }
  await ctx.db.transaction((m) =>
    commitOperation(m, op, {
      state: 'done',
      result,
      event: { kind: 'add-delegate-key', detail: { kid: p.kid, validitySeconds: p.validitySeconds }, txHash },
    }),
  )
  return result
}

/**
 * Revokes a delegate key on chain and deletes it from the key store (only after the revocation is
 * durable). Crash-safe through an intent completed by {@link advanceRevokeKey}.
 *
 * @example
 * await revokeDelegateKey(ctx, { organisationId, kid })
 */
export async function revokeDelegateKey(
  ctx: AgentContext,
  input: { organisationId: string; kid: string },
): Promise<{ txHash: string | null }> {
  const org = await activeOrganisation(ctx, input.organisationId)
  const { identifier, controller } = await identifierAndController(ctx, org.did)
  // Keys may be named by their kid or by their public key in either encoding.
  const wanted = normalisePublicKey(input.kid)
  const key = identifier.keys.find(
    (k) => k.kid === input.kid || normalisePublicKey(k.publicKeyHex) === wanted,
  )
  if (key?.kid === controller.kid) {
    throw new ClavisError({
      code: 'conflict',
      message: 'That is the controller key. To replace it, rotate: POST /v1/organisations/{id}/did/rotate.',
    })
  }
  if (key && (await ctx.db.getRepository(AssertionKeyEntity).existsBy({ keyId: key.kid }))) {
    throw new ClavisError({
      code: 'conflict',
      message:
        'That is the assertion key: it signs credentials and status lists. To replace it, rotate: POST /v1/organisations/{id}/did/rotate.',
    })
  }
  if (!key) {
    throw new ClavisError({
      code: 'not_found',
      message: `Organisation ${org.id} has no delegate key "${input.kid}". List keys with GET /v1/organisations/${org.id}/did.`,
    })
  }
  return runOperation(
    ctx,
    {
      organisationId: org.id,
      kind: 'revoke-key',
      params: { kid: key.kid, publicKeyHex: key.publicKeyHex, validitySeconds: 0 } satisfies KeyParams,
    },
    advanceRevokeKey,
  )
}

/** Revokes the key on chain unless it is gone, unlinks it, then deletes the private key; idempotent. */
export async function advanceRevokeKey(
  ctx: AgentContext,
  op: DidOperationRow,
): Promise<{ txHash: string | null }> {
  const p = paramsOf<KeyParams>(op)
  const org = await getOrganisation(ctx, op.organisationId)
  if (op.state === 'pending') {
    const { identifier, controller } = await identifierAndController(ctx, org.did)
    let txHash: string | null = null
    if (await keyOnChain(ctx, org.did, p.publicKeyHex)) {
      txHash = await writeAs(ctx, identifier, controller, (d) =>
        d.revokeAttribute(KEY_ATTRIBUTE, attributeValue(p.publicKeyHex)),
      )
    }
    if (identifier.keys.some((k) => k.kid === p.kid))
      await ctx.veramo.didManagerRemoveKey({ did: org.did, kid: p.kid, options: { localOnly: true } })
    await ctx.db.transaction((m) =>
      commitOperation(m, op, {
        state: 'committed',
        result: { txHash },
        event: { kind: 'revoke-delegate-key', detail: { kid: p.kid }, txHash },
      }),
    )
  }
  if (op.state === 'committed') {
    if (await keyOnChain(ctx, org.did, p.publicKeyHex))
      throw new Error(`revoke-key ${op.id}: the chain still names the key`)
    await deleteKey(ctx, p.kid)
    await finishOperation(ctx, op)
  }
  return JSON.parse(op.result ?? '{"txHash":null}')
}
