import type { RotationPolicy } from '@clavis/api'
import { ClavisError } from '@clavis/errors'
import type { IIdentifier } from '@veramo/core-types'
import { Identifier, Key } from '@veramo/data-store'
import { readValidEntries } from '../../chain/did-entries'
import { identityOwner } from '../../chain/owner'
import type { AgentContext } from '../../context'
import { IssuedCredentialEntity } from '../issuance/entities'
import type { OrganisationRow } from '../organisations/entities'
import { getOrganisation } from '../organisations/organisations'
import {
  activeOrganisation,
  addressOf,
  deleteKey,
  fundIfNeeded,
  identifierAndController,
  keyInStore,
  normalisePublicKey,
  writeAs,
} from './controller'
import { DidEventEntity, type DidOperationRow } from './entities'
import { DelegateTypes } from './ethr-controller'
import { commitOperation, finishOperation, paramsOf, runOperationWithNewKey } from './operation-store'

/** Service endpoints and keys without a stated validity stay for ten years. */
export const LONG_VALIDITY_SECONDS = 10 * 365 * 24 * 3600
/** Margin kept on delegate validity beyond the last credential's expiry (clock skew). */
const DELEGATE_MARGIN_SECONDS = 300

/** A delegate or key attribute on chain that a compromise rotation revoked. */
export type RevokedEntry =
  | { kind: 'delegate'; type: string; address: string }
  | { kind: 'attribute'; name: string; value: string }

/** What a rotation did. */
export interface RotationResult {
  policy: RotationPolicy
  oldKid: string
  newKid: string
  txHashes: string[]
  /** routine: until when the old key stays a verification delegate (undefined: it signed nothing). */
  oldKeyVerifiableUntil: string | undefined
  /** compromise: credentials signed with the old key, which no longer verify and must be re-issued. */
  reissue: { id: string; type: string; subjectDid: string }[]
  /** compromise: delegates and key attributes on chain that this agent did not add, now revoked. */
  revoked: RevokedEntry[]
}

interface RotationParams {
  policy: RotationPolicy
  oldKid: string
  oldAddress: string
  newKid: string
  newAddress: string
}

/**
 * Rotates an organisation's controller key (DESIGN §3). `routine`: ownership moves to a new key and
 * the old key stays a verification delegate until the last credential it signed expires, so those
 * keep verifying. `compromise`: ownership moves, every credential the old key signed is listed for
 * re-issue, and every delegate and key attribute on chain that this agent did not add is revoked.
 * The old private key is deleted only once the chain no longer names it.
 *
 * Crash-safe: the intent is recorded first (with the new key, already in the key store) and
 * {@link advanceRotation} completes it from whatever the chain holds, also at the next start.
 *
 * @example
 * const result = await rotateKey(ctx, { organisationId, policy: 'routine' })
 */
export async function rotateKey(
  ctx: AgentContext,
  input: { organisationId: string; policy: RotationPolicy },
): Promise<RotationResult> {
  const org = await activeOrganisation(ctx, input.organisationId)
  const { controller } = await identifierAndController(ctx, org.did)
  return runOperationWithNewKey(
    ctx,
    {
      organisationId: org.id,
      kind: 'rotate',
      params: (newKey) =>
        ({
          policy: input.policy,
          oldKid: controller.kid,
          oldAddress: addressOf(controller.publicKeyHex),
          newKid: newKey.kid,
          newAddress: addressOf(newKey.publicKeyHex),
        }) satisfies RotationParams,
    },
    advanceRotation,
  )
}

/**
 * Takes a rotation as far as it goes, from what the chain says: moves ownership with the old key
 * if the chain still names it, adds the old key's delegate (routine) or revokes foreign keys
 * (compromise) unless already done, then moves the controller in the database, and last deletes
 * the old private key. Each step is skipped when already done; safe to call again at any point.
 */
export async function advanceRotation(ctx: AgentContext, op: DidOperationRow): Promise<RotationResult> {
  const p = paramsOf<RotationParams>(op)
  const org = await getOrganisation(ctx, op.organisationId)
  if (op.state === 'pending') {
    const identifier = await ctx.veramo.didManagerGet({ did: org.did })
    const newKey = await keyInStore(ctx, p.newKid)
    if (!newKey) throw new Error(`rotation ${op.id}: the new key ${p.newKid} is not in the key store`)
    const txHashes: string[] = []
    const owner = await identityOwner(ctx.chain, org.did)
    if (owner === p.oldAddress) {
      const oldKey = await keyInStore(ctx, p.oldKid)
      if (!oldKey)
        throw new Error(`rotation ${op.id}: the chain names the old key but it is not in the key store`)
      txHashes.push(
        await writeAs(ctx, identifier, oldKey, async (d) => {
          await fundIfNeeded(ctx, p.newAddress)
          return d.changeOwner(p.newAddress)
        }),
      )
    } else if (owner !== p.newAddress) {
      throw new ClavisError({
        code: 'conflict',
        message: `The chain names ${owner} as the owner of ${org.did}, neither the old nor the new key of this rotation; it cannot be completed. Check the DID's history on chain.`,
      })
    }
    let oldKeyVerifiableUntil: string | undefined
    let revoked: RevokedEntry[] = []
    if (p.policy === 'routine') {
      const validity = await validityForOldKey(ctx, p.oldKid)
      if (validity !== undefined) {
        const { delegates } = await readValidEntries({ ...chainOf(ctx), did: org.did, now: new Date() })
        const kept = delegates.find((d) => d.type === DelegateTypes.veriKey && d.address === p.oldAddress)
        if (kept) oldKeyVerifiableUntil = new Date(Number(kept.validTo) * 1000).toISOString()
        else {
          txHashes.push(
            await writeAs(ctx, identifier, newKey, (d) =>
              d.addDelegate(p.oldAddress, { delegateType: DelegateTypes.veriKey, expiresIn: validity }),
            ),
          )
          oldKeyVerifiableUntil = new Date(Date.now() + validity * 1000).toISOString()
        }
      }
    } else {
      // Whoever held the compromised key may have added keys of their own.
      revoked = await foreignKeyEntries(ctx, org, identifier, p)
      for (const entry of revoked) {
        txHashes.push(
          await writeAs(ctx, identifier, newKey, (d) =>
            entry.kind === 'delegate'
              ? d.revokeDelegate(entry.address, entry.type as DelegateTypes)
              : d.revokeAttribute(entry.name, entry.value),
          ),
        )
      }
    }
    const result = {
      policy: p.policy,
      oldKid: p.oldKid,
      newKid: p.newKid,
      txHashes,
      oldKeyVerifiableUntil,
      revoked,
    }
    await ctx.db.transaction(async (m) => {
      await m.getRepository(Key).update({ kid: p.newKid }, { identifier: { did: org.did } as Identifier })
      await m.getRepository(Identifier).update({ did: org.did }, { controllerKeyId: p.newKid })
      if (p.policy === 'compromise')
        await m
          .getRepository(IssuedCredentialEntity)
          .update({ signerKid: p.oldKid }, { reissueRequired: true })
      await commitOperation(m, op, {
        state: 'committed',
        result,
        event: {
          kind: `rotate-${p.policy}`,
          detail: { oldKid: p.oldKid, newKid: p.newKid, oldAddress: p.oldAddress, revoked },
          txHash: txHashes[0] ?? null,
        },
      })
    })
    ctx.signingKeys.forget(org.did)
    ctx.log.info('controller key rotated', {
      organisation: org.id,
      policy: p.policy,
      revoked: revoked.length,
    })
  }
  if (op.state === 'committed') {
    // Never delete a private key while the chain may still name it as the owner.
    if ((await identityOwner(ctx.chain, org.did)) === p.oldAddress)
      throw new Error(`rotation ${op.id}: the chain still names the old key as owner`)
    await deleteKey(ctx, p.oldKid)
    await finishOperation(ctx, op)
  }
  const result = JSON.parse(op.result ?? '{}') as Omit<RotationResult, 'reissue'>
  const reissue =
    p.policy === 'compromise'
      ? (
          await ctx.db
            .getRepository(IssuedCredentialEntity)
            .find({ where: { signerKid: p.oldKid }, order: { issuedAt: 'ASC', id: 'ASC' } })
        ).map((r) => ({ id: r.id, type: r.type, subjectDid: r.subjectDid }))
      : []
  return { ...result, reissue }
}

const chainOf = (ctx: AgentContext) => ({ provider: ctx.chain.provider, registry: ctx.chain.registry })

async function validityForOldKey(ctx: AgentContext, kid: string): Promise<number | undefined> {
  const rows = await ctx.db
    .getRepository(IssuedCredentialEntity)
    .find({ where: { signerKid: kid }, select: { validUntil: true } })
  if (rows.length === 0) return undefined
  if (rows.some((r) => r.validUntil === null)) return LONG_VALIDITY_SECONDS
  const last = Math.max(...rows.map((r) => Date.parse(r.validUntil!)))
  return Math.max(60, Math.ceil((last - Date.now()) / 1000) + DELEGATE_MARGIN_SECONDS)
}

/**
 * The valid delegates and key attributes of the organisation's DID that this agent did not put
 * there: its own are the delegate keys in its key store (attributes) and the earlier controller
 * keys that routine rotations kept as verification delegates.
 */
async function foreignKeyEntries(
  ctx: AgentContext,
  org: OrganisationRow,
  identifier: IIdentifier,
  p: RotationParams,
): Promise<RevokedEntry[]> {
  const { delegates, attributes } = await readValidEntries({ ...chainOf(ctx), did: org.did, now: new Date() })
  const ownKeys = new Set(
    identifier.keys
      .filter((k) => k.kid !== p.oldKid && k.kid !== p.newKid)
      .map((k) => normalisePublicKey(k.publicKeyHex))
      .filter((k) => k !== undefined),
  )
  const rotations = await ctx.db
    .getRepository(DidEventEntity)
    .findBy({ organisationId: org.id, kind: 'rotate-routine' })
  const ownDelegates = new Set(
    rotations.map((e) => {
      const detail = JSON.parse(e.detail) as { oldKid: string; oldAddress?: string }
      return detail.oldAddress ?? addressOf(detail.oldKid)
    }),
  )
  const ownValue = (hex: string) => {
    const key = normalisePublicKey(hex)
    return key !== undefined && ownKeys.has(key)
  }
  return [
    ...delegates
      .filter((d) => !ownDelegates.has(d.address))
      .map((d) => ({ kind: 'delegate' as const, type: d.type, address: d.address })),
    ...attributes
      .filter((a) => a.name.startsWith('did/pub/') && !ownValue(a.value))
      .map((a) => ({ kind: 'attribute' as const, name: a.name, value: a.value })),
  ]
}
