import { MAX_START_DELAY_DAYS, MAX_VALIDITY_DAYS } from '@clavis/credentials'
import { ClavisError } from '@clavis/errors'
import type { IIdentifier, IKey } from '@veramo/core-types'
import { type Identifier, Key } from '@veramo/data-store'
import type { DataSource, EntityManager } from 'typeorm'
import { readValidEntries } from '../../chain/did-entries'
import { identityOwner } from '../../chain/owner'
import type { AgentContext } from '../../context'
import { newId, nowIso } from '../../util/ids'
import { OrganisationEntity } from '../organisations/entities'
import { getOrganisation } from '../organisations/organisations'
import { attributeValue, KEY_ATTRIBUTE } from './attributes'
import { addressOf, identifierAndController, keyInStore, normalisePublicKey, writeAs } from './controller'
import { AssertionKeyEntity, type AssertionKeyRow, type DidOperationRow } from './entities'
import { commitOperation, openOperations, paramsOf, runOperationWithNewKey } from './operation-store'

// Assertion keys (ADR 0024): what an organisation signs credentials and status lists with. The
// controller key only manages the DID; each assertion key is published on chain as the attribute
// `did/pub/Secp256k1/veriKey/hex` for as long as anything it may sign can still be valid, so the
// `kid` of a credential (the key's `#delegate-N` in the DID document) resolves to its public key
// until the credential expires, through any number of routine rotations.

/** How long an assertion key signs before a routine rotation should replace it (two years). */
export const ASSERTION_KEY_SIGNING_DAYS = 730
/** Kept beyond the furthest a credential can reach (clock skew, late rotations). */
const ASSERTION_KEY_MARGIN_DAYS = 30
/**
 * How long the chain publishes an assertion key: its signing lifetime, plus the furthest ahead a
 * credential it signs may start and the longest it may last (`MAX_START_DELAY_DAYS` +
 * `MAX_VALIDITY_DAYS`), plus a margin: about 13 years. Issuance refuses a credential that would
 * outlive it (`signing_key_expires_first`), so every credential's key is published while it is valid.
 */
export const ASSERTION_KEY_VALIDITY_SECONDS =
  (ASSERTION_KEY_SIGNING_DAYS +
    MAX_START_DELAY_DAYS +
    Math.max(...Object.values(MAX_VALIDITY_DAYS)) +
    ASSERTION_KEY_MARGIN_DAYS) *
  86_400

/** What an `add-assertion-key` operation needs (no secrets). */
interface AssertionKeyParams {
  kid: string
  /** Compressed, lower case, no 0x. */
  publicKeyHex: string
  validitySeconds: number
}

/** A public key as the assertion key table and the chain attribute hold it: compressed, lower case, no 0x. */
export function compressedHex(publicKeyHex: string): string {
  const compressed = normalisePublicKey(publicKeyHex)
  if (!compressed) throw new Error(`not a secp256k1 public key: ${publicKeyHex.slice(0, 20)}…`)
  return compressed.replace(/^0x/, '')
}

/** The organisation's active assertion key, if it has one. */
export function activeAssertionKey(
  db: DataSource | EntityManager,
  organisationId: string,
): Promise<AssertionKeyRow | null> {
  return db.getRepository(AssertionKeyEntity).findOneBy({ organisationId, state: 'active' })
}

/** Every assertion key the organisation has had, oldest first. */
export function assertionKeysOf(
  db: DataSource | EntityManager,
  organisationId: string,
): Promise<AssertionKeyRow[]> {
  return db
    .getRepository(AssertionKeyEntity)
    .find({ where: { organisationId }, order: { createdAt: 'ASC', id: 'ASC' } })
}

/** Until when the chain publishes the key as a valid key attribute of the DID, if it does now. */
export async function publishedUntil(
  ctx: AgentContext,
  did: string,
  publicKeyHex: string,
): Promise<string | undefined> {
  const { attributes } = await readValidEntries({
    provider: ctx.chain.provider,
    registry: ctx.chain.registry,
    did,
    now: new Date(),
  })
  const value = attributeValue(publicKeyHex)
  const entry = attributes.find((a) => a.name === KEY_ATTRIBUTE && a.value === value)
  return entry ? new Date(Number(entry.validTo) * 1000).toISOString() : undefined
}

/**
 * Publishes an assertion key on chain (signed by `controller`, the DID's owner) unless the chain
 * already holds it, and returns until when it is published, as the chain says. Never publishes a
 * key the chain holds: a second event for the same key would give it a new `#delegate-N` and
 * orphan the `kid` of everything it signed.
 */
export async function publishAssertionKey(
  ctx: AgentContext,
  identifier: IIdentifier,
  controller: IKey,
  publicKeyHex: string,
  validitySeconds: number,
): Promise<{ txHash: string | null; publishedUntil: string }> {
  const held = await publishedUntil(ctx, identifier.did, publicKeyHex)
  if (held) return { txHash: null, publishedUntil: held }
  const txHash = await writeAs(ctx, identifier, controller, (d) =>
    d.setAttribute(KEY_ATTRIBUTE, attributeValue(publicKeyHex), validitySeconds),
  )
  const until = await publishedUntil(ctx, identifier.did, publicKeyHex)
  if (!until) throw new Error(`the chain does not show the key ${publicKeyHex} just published`)
  return { txHash, publishedUntil: until }
}

/**
 * Records a new active assertion key inside the caller's transaction (once: a retry finds it) and
 * links it to the DID's identifier in the key store.
 */
export async function recordAssertionKey(
  m: EntityManager,
  input: { organisationId: string; did: string; keyId: string; publicKeyHex: string; publishedUntil: string },
): Promise<void> {
  await m.getRepository(Key).update({ kid: input.keyId }, { identifier: { did: input.did } as Identifier })
  const repo = m.getRepository(AssertionKeyEntity)
  if (await repo.existsBy({ keyId: input.keyId })) return
  await repo.insert({
    id: newId(),
    organisationId: input.organisationId,
    did: input.did,
    keyId: input.keyId,
    publicKeyHex: input.publicKeyHex,
    state: 'active',
    publishedUntil: input.publishedUntil,
    createdAt: nowIso(),
    endedAt: null,
  })
}

/**
 * Gives an organisation that has none an assertion key (created before assertion keys existed, or
 * its first was interrupted by a crash): a new key in the key store, published on chain by the
 * controller, recorded as active. A DID operation (`add-assertion-key`), completed by
 * {@link advanceAddAssertionKey}, also at the next start. Does nothing when it has one; while
 * another change to the DID is open, `signing_key_not_current` (409, retry).
 *
 * @example
 * await ensureAssertionKey(ctx, organisationId)
 */
export async function ensureAssertionKey(ctx: AgentContext, organisationId: string): Promise<void> {
  const org = await getOrganisation(ctx, organisationId)
  if (org.status !== 'active' || (await activeAssertionKey(ctx.db, org.id))) return
  const busy = () =>
    new ClavisError({
      code: 'signing_key_not_current',
      message: `The signing key of ${org.did} is being set up with another change to its DID: nothing was signed. Retry shortly.`,
    })
  if ((await openOperations(ctx)).some((o) => o.organisationId === org.id)) throw busy()
  try {
    await runOperationWithNewKey(
      ctx,
      {
        organisationId: org.id,
        kind: 'add-assertion-key',
        params: (key) =>
          ({
            kid: key.kid,
            publicKeyHex: compressedHex(key.publicKeyHex),
            validitySeconds: ASSERTION_KEY_VALIDITY_SECONDS,
          }) satisfies AssertionKeyParams,
      },
      advanceAddAssertionKey,
    )
  } catch (e) {
    // Another process (or request) opened a change to this DID first.
    if (e instanceof ClavisError && e.code === 'conflict') throw busy()
    throw e
  }
}

/** The organisation with this DID, for signers that know only the DID. */
export async function ensureAssertionKeyOfDid(ctx: AgentContext, did: string): Promise<void> {
  const org = await ctx.db.getRepository(OrganisationEntity).findOneBy({ did })
  if (org) await ensureAssertionKey(ctx, org.id)
}

/** Publishes the key unless the chain holds it, then records it as active; idempotent. */
export async function advanceAddAssertionKey(
  ctx: AgentContext,
  op: DidOperationRow,
): Promise<{ kid: string; publishedUntil: string }> {
  const p = paramsOf<AssertionKeyParams>(op)
  if (op.state !== 'pending') return JSON.parse(op.result!)
  const org = await getOrganisation(ctx, op.organisationId)
  const { identifier, controller } = await identifierAndController(ctx, org.did)
  if (!(await keyInStore(ctx, p.kid)))
    throw new Error(`add-assertion-key ${op.id}: the key ${p.kid} is not in the key store`)
  const owner = await identityOwner(ctx.chain, org.did)
  if (owner !== addressOf(controller.publicKeyHex))
    throw new Error(
      `add-assertion-key ${op.id}: the chain names ${owner}, not the controller key, as owner of ${org.did}`,
    )
  const { txHash, publishedUntil } = await publishAssertionKey(
    ctx,
    identifier,
    controller,
    p.publicKeyHex,
    p.validitySeconds,
  )
  const result = { kid: p.kid, publishedUntil }
  await ctx.db.transaction(async (m) => {
    const active = await activeAssertionKey(m, org.id)
    if (active && active.keyId !== p.kid)
      throw new Error(`add-assertion-key ${op.id}: ${org.id} already has the active key ${active.keyId}`)
    await recordAssertionKey(m, {
      organisationId: org.id,
      did: org.did,
      keyId: p.kid,
      publicKeyHex: p.publicKeyHex,
      publishedUntil,
    })
    await commitOperation(m, op, {
      state: 'done',
      result,
      event: { kind: 'add-assertion-key', detail: { kid: p.kid, publishedUntil }, txHash },
    })
  })
  ctx.signingKeys.forget(org.did)
  return result
}

/**
 * Re-publishes the organisation's assertion keys (active and retired) that are still meant to be
 * published but that the chain lost (a chain state lost or reset), for the time they have left.
 * Their `#delegate-N` changes with it (a new event): verifiers that try every key still find them.
 * Returns what it re-published.
 */
export async function republishLostAssertionKeys(
  ctx: AgentContext,
  org: { id: string; did: string },
  identifier: IIdentifier,
  controller: IKey,
): Promise<string[]> {
  const { attributes } = await readValidEntries({
    provider: ctx.chain.provider,
    registry: ctx.chain.registry,
    did: org.did,
    now: new Date(),
  })
  const onChain = new Set(attributes.filter((a) => a.name === KEY_ATTRIBUTE).map((a) => a.value))
  const done: string[] = []
  for (const key of await assertionKeysOf(ctx.db, org.id)) {
    if (key.state === 'revoked') continue
    const left = Math.floor((Date.parse(key.publishedUntil) - Date.now()) / 1000)
    if (left <= 60 || onChain.has(attributeValue(key.publicKeyHex))) continue
    await writeAs(ctx, identifier, controller, (d) =>
      d.setAttribute(KEY_ATTRIBUTE, attributeValue(key.publicKeyHex), left),
    )
    done.push(key.keyId)
  }
  if (done.length > 0) ctx.signingKeys.forget(org.did)
  return done
}
