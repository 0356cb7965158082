import type { RotationPolicy } from '@clavis/api'
import { ClavisError } from '@clavis/errors'
import type { IIdentifier } from '@veramo/core-types'
import { Identifier, Key } from '@veramo/data-store'
import { type EntityManager, In } from 'typeorm'
import { readValidEntries } from '../../chain/did-entries'
import { identityOwner } from '../../chain/owner'
import type { AgentContext } from '../../context'
import { nowIso } from '../../util/ids'
import { IssuedCredentialEntity } from '../issuance/entities'
import type { OrganisationRow } from '../organisations/entities'
import { getOrganisation } from '../organisations/organisations'
import {
  ASSERTION_KEY_VALIDITY_SECONDS,
  activeAssertionKey,
  assertionKeysOf,
  compressedHex,
  ensureAssertionKey,
  publishAssertionKey,
  publishedUntil,
  recordAssertionKey,
} from './assertion-keys'
import { attributeValue, KEY_ATTRIBUTE, LONG_VALIDITY_SECONDS } from './attributes'
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
import { AssertionKeyEntity, DidEventEntity, type DidOperationRow } from './entities'
import { DelegateTypes } from './ethr-controller'
import { commitOperation, finishOperation, paramsOf, runOperationWithNewKeys } from './operation-store'

/** Margin kept on delegate validity beyond the last credential's expiry (clock skew). */
const DELEGATE_MARGIN_SECONDS = 300

/** A delegate or key attribute on chain that a compromise rotation revoked. */
export type RevokedEntry =
  | { kind: 'delegate'; type: string; address: string }
  | { kind: 'attribute'; name: string; value: string }

/** What a rotation did. */
export interface RotationResult {
  policy: RotationPolicy
  /**
   * The signing key replaced and its successor (key store ids, as credentials record their signer):
   * the assertion keys; for a rotation recorded before assertion keys existed, the controller keys.
   */
  oldKid: string
  newKid: string
  txHashes: string[]
  /**
   * routine: until when what the old keys signed can still be verified — the old assertion key's
   * publication on chain, or the old controller's verification delegate (undefined: neither).
   */
  oldKeyVerifiableUntil: string | undefined
  /** compromise: credentials signed with the old keys, which no longer verify and must be re-issued. */
  reissue: { id: string; type: string; subjectDid: string }[]
  /** compromise: delegates and key attributes on chain that this agent did not add, now revoked. */
  revoked: RevokedEntry[]
}

/** The assertion key a rotation replaces (absent: the organisation had none yet) and its successor. */
interface AssertionChange {
  oldKid?: string
  oldPublicKeyHex?: string
  newKid: string
  newPublicKeyHex: string
  validitySeconds: number
}

/**
 * A rotation's intent: the controller key it moves ownership from and to (the flat fields, as
 * recorded before assertion keys existed) and, since ADR 0024, the assertion key it replaces.
 */
interface RotationParams {
  policy: RotationPolicy
  oldKid: string
  oldAddress: string
  newKid: string
  newAddress: string
  assertion?: AssertionChange
}

/**
 * Rotates an organisation's keys (DESIGN §3, ADR 0024): ownership of the DID moves to a new
 * controller key and a new assertion key is published, which signs from then on. `routine`: the
 * old assertion key stays published until its validity ends, so everything it signed keeps
 * verifying with a `kid` that still names its public key (and an old controller that signed
 * credentials, before assertion keys, becomes a verification delegate until the last of them
 * expires). `compromise`: the old assertion key is revoked on chain, every credential the old keys
 * signed is listed for re-issue, and every delegate and key attribute on chain that this agent
 * did not add is revoked. Old private keys are deleted once the chain no longer needs them.
 *
 * Crash-safe: the intent is recorded first (with the new keys, already in the key store) and
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
  // One made before assertion keys existed gets its first now, so that the rotation replaces it.
  await ensureAssertionKey(ctx, org.id)
  const old = await activeAssertionKey(ctx.db, org.id)
  return runOperationWithNewKeys(
    ctx,
    {
      organisationId: org.id,
      kind: 'rotate',
      count: 2,
      params: ([newController, newAssertion]) =>
        ({
          policy: input.policy,
          oldKid: controller.kid,
          oldAddress: addressOf(controller.publicKeyHex),
          newKid: newController!.kid,
          newAddress: addressOf(newController!.publicKeyHex),
          assertion: {
            ...(old ? { oldKid: old.keyId, oldPublicKeyHex: old.publicKeyHex } : {}),
            newKid: newAssertion!.kid,
            newPublicKeyHex: compressedHex(newAssertion!.publicKeyHex),
            validitySeconds: ASSERTION_KEY_VALIDITY_SECONDS,
          },
        }) satisfies RotationParams,
    },
    advanceRotation,
  )
}

/**
 * Takes a rotation as far as it goes, from what the chain says: moves ownership with the old
 * controller if the chain still names it; adds the old controller's delegate (routine, when it
 * signed credentials) or revokes foreign keys and the old assertion key (compromise); publishes
 * the new assertion key; each unless already done. Then moves the database in one transaction
 * (controller, assertion keys, re-issue flags) and last deletes the old private keys. Safe to call
 * again at any point.
 */
export async function advanceRotation(ctx: AgentContext, op: DidOperationRow): Promise<RotationResult> {
  const p = paramsOf<RotationParams>(op)
  const a = p.assertion
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
    const verifiableUntil: string[] = []
    let revoked: RevokedEntry[] = []
    if (p.policy === 'routine') {
      // Credentials the old controller signed itself (before assertion keys) keep a delegate.
      const validity = await validityForOldKey(ctx, p.oldKid)
      if (validity !== undefined) {
        const { delegates } = await readValidEntries({ ...chainOf(ctx), did: org.did, now: new Date() })
        const kept = delegates.find((d) => d.type === DelegateTypes.veriKey && d.address === p.oldAddress)
        if (kept) verifiableUntil.push(new Date(Number(kept.validTo) * 1000).toISOString())
        else {
          txHashes.push(
            await writeAs(ctx, identifier, newKey, (d) =>
              d.addDelegate(p.oldAddress, { delegateType: DelegateTypes.veriKey, expiresIn: validity }),
            ),
          )
          verifiableUntil.push(new Date(Date.now() + validity * 1000).toISOString())
        }
      }
      if (a?.oldKid) {
        const old = await ctx.db.getRepository(AssertionKeyEntity).findOneBy({ keyId: a.oldKid })
        if (old) verifiableUntil.push(old.publishedUntil)
      }
    } else {
      // Whoever held the compromised keys may have added keys of their own.
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
      if (a?.oldPublicKeyHex && (await publishedUntil(ctx, org.did, a.oldPublicKeyHex))) {
        const value = attributeValue(a.oldPublicKeyHex)
        txHashes.push(await writeAs(ctx, identifier, newKey, (d) => d.revokeAttribute(KEY_ATTRIBUTE, value)))
      }
    }
    let newAssertionUntil: string | undefined
    if (a) {
      if (!(await keyInStore(ctx, a.newKid)))
        throw new Error(`rotation ${op.id}: the new assertion key ${a.newKid} is not in the key store`)
      const published = await publishAssertionKey(
        ctx,
        identifier,
        newKey,
        a.newPublicKeyHex,
        a.validitySeconds,
      )
      if (published.txHash) txHashes.push(published.txHash)
      newAssertionUntil = published.publishedUntil
    }
    const result = {
      policy: p.policy,
      oldKid: a ? (a.oldKid ?? p.oldKid) : p.oldKid,
      newKid: a ? a.newKid : p.newKid,
      txHashes,
      oldKeyVerifiableUntil: verifiableUntil.sort().at(-1),
      revoked,
    }
    await ctx.db.transaction(async (m) => {
      await m.getRepository(Key).update({ kid: p.newKid }, { identifier: { did: org.did } as Identifier })
      await m.getRepository(Identifier).update({ did: org.did }, { controllerKeyId: p.newKid })
      if (a) {
        if (a.oldKid)
          await m
            .getRepository(AssertionKeyEntity)
            .update(
              { keyId: a.oldKid, state: 'active' },
              { state: p.policy === 'routine' ? 'retired' : 'revoked', endedAt: nowIso() },
            )
        await recordAssertionKey(m, {
          organisationId: org.id,
          did: org.did,
          keyId: a.newKid,
          publicKeyHex: a.newPublicKeyHex,
          publishedUntil: newAssertionUntil!,
        })
      }
      if (p.policy === 'compromise') await flagForReissue(m, oldSigners(p))
      await commitOperation(m, op, {
        state: 'committed',
        result,
        event: {
          kind: `rotate-${p.policy}`,
          detail: {
            oldKid: p.oldKid,
            newKid: p.newKid,
            oldAddress: p.oldAddress,
            revoked,
            ...(a ? { assertion: { oldKid: a.oldKid ?? null, newKid: a.newKid } } : {}),
          },
          txHash: txHashes[0] ?? null,
        },
      })
    })
    ctx.signingKeys.forget(org.did)
    // Lists signed by a key that is now revoked would fail: sign them again with the new key.
    ctx.caches.renderedLists.clear()
    ctx.log.info('DID keys rotated', {
      organisation: org.id,
      policy: p.policy,
      revoked: revoked.length,
    })
  }
  if (op.state === 'committed') {
    // Never delete a private key while the chain may still accept it: the old controller once the
    // chain names another owner; a compromised assertion key once its attribute is revoked. A
    // retired assertion key stays published only so that verifiers can check what it signed.
    if ((await identityOwner(ctx.chain, org.did)) === p.oldAddress)
      throw new Error(`rotation ${op.id}: the chain still names the old key as owner`)
    if (
      p.policy === 'compromise' &&
      a?.oldPublicKeyHex &&
      (await publishedUntil(ctx, org.did, a.oldPublicKeyHex))
    )
      throw new Error(`rotation ${op.id}: the chain still publishes the compromised assertion key`)
    // A credential being signed with an old key while the database moved is flagged too (also one
    // signed late with a key an earlier compromise revoked).
    if (p.policy === 'compromise') {
      const revokedKeys = (await assertionKeysOf(ctx.db, org.id)).filter((k) => k.state === 'revoked')
      await ctx.db.transaction((m) =>
        flagForReissue(m, [...oldSigners(p), ...revokedKeys.map((k) => k.keyId)]),
      )
    }
    await deleteKey(ctx, p.oldKid)
    if (a?.oldKid) await deleteKey(ctx, a.oldKid)
    await finishOperation(ctx, op)
  }
  const result = JSON.parse(op.result ?? '{}') as Omit<RotationResult, 'reissue'>
  const reissue =
    p.policy === 'compromise'
      ? (
          await ctx.db.getRepository(IssuedCredentialEntity).find({
            where: { signerKid: In(oldSigners(p)) },
            order: { issuedAt: 'ASC', id: 'ASC' },
          })
        ).map((r) => ({ id: r.id, type: r.type, subjectDid: r.subjectDid }))
      : []
  return { ...result, reissue }
}

/** The keys a rotation replaces that may have signed credentials: the old controller and assertion key. */
function oldSigners(p: RotationParams): string[] {
  return p.assertion?.oldKid ? [p.oldKid, p.assertion.oldKid] : [p.oldKid]
}

async function flagForReissue(m: EntityManager, signerKids: string[]): Promise<void> {
  await m
    .getRepository(IssuedCredentialEntity)
    .update({ signerKid: In(signerKids), reissueRequired: false }, { reissueRequired: true })
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
 * there: its own are the delegate keys in its key store and its assertion keys (attributes), and
 * the earlier controller keys that routine rotations kept as verification delegates.
 */
async function foreignKeyEntries(
  ctx: AgentContext,
  org: OrganisationRow,
  identifier: IIdentifier,
  p: RotationParams,
): Promise<RevokedEntry[]> {
  const { delegates, attributes } = await readValidEntries({ ...chainOf(ctx), did: org.did, now: new Date() })
  // The compromised assertion key is ours, and revoked on its own (it is not "foreign").
  const assertionKeys = (await assertionKeysOf(ctx.db, org.id)).map((k) => k.publicKeyHex)
  if (p.assertion) assertionKeys.push(p.assertion.newPublicKeyHex)
  const ownKeys = new Set(
    [
      ...identifier.keys.filter((k) => k.kid !== p.oldKid && k.kid !== p.newKid).map((k) => k.publicKeyHex),
      ...assertionKeys,
    ]
      .map((k) => normalisePublicKey(k))
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
