import type { Organisation, OrganisationKind } from '@clavis/api'
import { ClavisError } from '@clavis/errors'
import { computeAddress } from 'ethers'
import { IsNull } from 'typeorm'
import { fundAddress } from '../../chain/fund'
import type { AgentContext } from '../../context'
import { hashToken, newId, newToken, nowIso } from '../../util/ids'
import { ethrProviderName } from '../../veramo/create-agent'
import { DidEventEntity } from '../dids/entities'
import { ApiTokenEntity, OrganisationEntity, type OrganisationRow } from './entities'

/** An organisation as the API shows it. */
export function toOrganisation(row: OrganisationRow): Organisation & { status: OrganisationRow['status'] } {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    did: row.did,
    status: row.status,
    createdAt: row.createdAt,
  }
}

/** The Ethereum address of a secp256k1 public key (hex, compressed or not). */
export function addressOfPublicKey(publicKeyHex: string): string {
  return computeAddress(`0x${publicKeyHex.replace(/^0x/, '')}`)
}

/**
 * Creates an organisation: a did:ethr whose controller key lives in the agent's key store, gas for
 * its controller address (when a funder is configured), its first assertion key (published on
 * chain), and a staff API token shown once.
 *
 * @example
 * const { organisation, token } = await createOrganisation(ctx, { name: 'Board', kind: 'board' })
 */
export async function createOrganisation(
  ctx: AgentContext,
  input: { name: string; kind: OrganisationKind },
): Promise<{ organisation: Organisation; token: string }> {
  const id = newId()
  const identifier = await ctx.veramo.didManagerCreate({
    provider: ethrProviderName(ctx.chain.chainId),
    kms: 'local',
    alias: `org-${id}`,
  })
  const controller = identifier.keys.find((k) => k.kid === identifier.controllerKeyId)
  if (controller && ctx.chain.funderKey) {
    const funderKey = ctx.chain.funderKey
    await ctx.chain.write(() =>
      fundAddress({
        provider: ctx.chain.provider,
        funderKey,
        address: addressOfPublicKey(controller.publicKeyHex),
      }),
    )
  }
  const row: OrganisationRow = {
    id,
    name: input.name,
    kind: input.kind,
    did: identifier.did,
    status: 'active',
    createdAt: nowIso(),
  }
  const token = newToken()
  await ctx.db.transaction(async (m) => {
    await m.getRepository(OrganisationEntity).insert(row)
    await m.getRepository(ApiTokenEntity).insert({
      id: newId(),
      organisationId: id,
      role: 'staff',
      tokenHash: hashToken(token),
      createdAt: nowIso(),
      revokedAt: null,
    })
    await m.getRepository(DidEventEntity).insert({
      id: newId(),
      organisationId: id,
      kind: 'create',
      detail: JSON.stringify({ controllerKid: identifier.controllerKeyId }),
      txHash: null,
      at: nowIso(),
    })
  })
  ctx.log.info('organisation created', { id, kind: input.kind, did: identifier.did })
  // Its assertion key, which signs its credentials (ADR 0024): a DID operation of its own, made by
  // the first signature. Should it fail (or a crash interrupt it), reconciliation completes it and
  // issuing answers 409 signing_key_not_current until then; the organisation exists either way.
  try {
    await ctx.signingKeys.signerFor(identifier.did)
  } catch (e) {
    ctx.log.error('the new organisation has no assertion key yet; it is completed later', {
      id,
      error: (e as Error).message,
    })
  }
  await ctx.audit.record({
    kind: 'organisation.created',
    organisationId: id,
    did: identifier.did,
    organisationKind: input.kind,
  })
  return { organisation: toOrganisation(row), token }
}

/** All organisations, oldest first. */
export async function listOrganisations(ctx: AgentContext): Promise<OrganisationRow[]> {
  return ctx.db.getRepository(OrganisationEntity).find({ order: { createdAt: 'ASC' } })
}

/** One organisation; throws `not_found` naming what to do. */
export async function getOrganisation(ctx: AgentContext, id: string): Promise<OrganisationRow> {
  const row = await ctx.db.getRepository(OrganisationEntity).findOneBy({ id })
  if (!row) {
    throw new ClavisError({
      code: 'not_found',
      message: `No organisation with id "${id}". List them with GET /v1/organisations.`,
    })
  }
  return row
}

/**
 * Replaces an organisation's staff tokens with a new one (shown once); the old ones stop working.
 *
 * @example
 * const token = await resetOrganisationToken(ctx, orgId)
 */
export async function resetOrganisationToken(ctx: AgentContext, organisationId: string): Promise<string> {
  await getOrganisation(ctx, organisationId)
  const token = newToken()
  await ctx.db.transaction(async (m) => {
    const repo = m.getRepository(ApiTokenEntity)
    await repo.update({ organisationId, revokedAt: IsNull() }, { revokedAt: nowIso() })
    await repo.insert({
      id: newId(),
      organisationId,
      role: 'staff',
      tokenHash: hashToken(token),
      createdAt: nowIso(),
      revokedAt: null,
    })
  })
  await ctx.audit.record({ kind: 'organisation.token_reset', organisationId })
  return token
}
