import { In } from 'typeorm'
import { readValidEntries } from '../../chain/did-entries'
import { identityOwner, NULL_ADDRESS } from '../../chain/owner'
import type { AgentContext } from '../../context'
import { nowIso } from '../../util/ids'
import { forgetIssuanceCache } from '../issuance/issue'
import { OrganisationEntity } from '../organisations/entities'
import { getOrganisation } from '../organisations/organisations'
import { activeOrganisation, addressOf, deleteKey, identifierAndController, writeAs } from './controller'
import { AssertionKeyEntity, type DidOperationRow } from './entities'
import { commitOperation, finishOperation, runOperation } from './operation-store'

/**
 * Deactivates an organisation's DID: ownership goes to the null address, so resolution marks it
 * deactivated and nothing it signed verifies any more. Its private keys are deleted once the chain
 * holds the change durably. Irreversible. Crash-safe through an intent completed by
 * {@link advanceDeactivation}.
 *
 * @example
 * await deactivateDid(ctx, { organisationId })
 */
export async function deactivateDid(
  ctx: AgentContext,
  input: { organisationId: string },
): Promise<{ txHash: string | null }> {
  const org = await activeOrganisation(ctx, input.organisationId)
  return runOperation(ctx, { organisationId: org.id, kind: 'deactivate', params: {} }, advanceDeactivation)
}

/** Moves ownership to the null address unless done, marks the organisation, deletes its keys; idempotent. */
export async function advanceDeactivation(
  ctx: AgentContext,
  op: DidOperationRow,
): Promise<{ txHash: string | null }> {
  const org = await getOrganisation(ctx, op.organisationId)
  if (op.state === 'pending') {
    let txHash: string | null = null
    if (!(await deactivatedOnChain(ctx, org.did))) {
      const owner = await identityOwner(ctx.chain, org.did)
      const { identifier, controller } = await identifierAndController(ctx, org.did)
      if (owner !== addressOf(controller.publicKeyHex))
        throw new Error(`deactivation ${op.id}: the chain names ${owner}, not the controller key, as owner`)
      txHash = await writeAs(ctx, identifier, controller, (d) => d.changeOwner(NULL_ADDRESS))
    }
    await ctx.db.transaction(async (m) => {
      await m.getRepository(OrganisationEntity).update({ id: org.id }, { status: 'deactivated' })
      await m
        .getRepository(AssertionKeyEntity)
        .update(
          { organisationId: org.id, state: In(['active', 'retired']) },
          { state: 'revoked', endedAt: nowIso() },
        )
      await commitOperation(m, op, {
        state: 'committed',
        result: { txHash },
        event: { kind: 'deactivate', detail: {}, txHash },
      })
    })
    ctx.signingKeys.forget(org.did)
    forgetIssuanceCache(ctx, org.id)
  }
  if (op.state === 'committed') {
    if (!(await deactivatedOnChain(ctx, org.did)))
      throw new Error(`deactivation ${op.id}: the chain does not hold the deactivation`)
    const identifier = await ctx.veramo.didManagerGet({ did: org.did })
    for (const k of identifier.keys) await deleteKey(ctx, k.kid)
    await finishOperation(ctx, op)
  }
  return JSON.parse(op.result ?? '{"txHash":null}')
}

/** Whether the DID's last change of owner on chain was to the null address. */
async function deactivatedOnChain(ctx: AgentContext, did: string): Promise<boolean> {
  const { lastOwnerChange } = await readValidEntries({
    provider: ctx.chain.provider,
    registry: ctx.chain.registry,
    did,
    now: new Date(),
  })
  return lastOwnerChange === NULL_ADDRESS
}
