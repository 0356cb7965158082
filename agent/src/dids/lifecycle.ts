import { ClavisError } from '@clavis/api'
import type { IIdentifier, IKey } from '@veramo/core-types'
import { Identifier, Key } from '@veramo/data-store'
import { SigningKey } from 'ethers'
import { readValidEntries } from '../chain/did-entries'
import { fundAddress } from '../chain/fund'
import type { AgentContext } from '../context'
import { forgetIssuanceCache } from '../credentials/issue'
import {
  DidEventEntity,
  IssuedCredentialEntity,
  OrganisationEntity,
  type OrganisationRow,
} from '../db/entities'
import { addressOfPublicKey, getOrganisation } from '../orgs/organisations'
import { newId, nowIso } from '../util/ids'
import { DelegateTypes, ethrDidFor } from './ethr-controller'

const NULL_ADDRESS = '0x0000000000000000000000000000000000000000'
/** Service endpoints and keys without a stated validity stay for ten years. */
export const LONG_VALIDITY_SECONDS = 10 * 365 * 24 * 3600
/** Margin kept on delegate validity beyond the last credential's expiry (clock skew). */
const DELEGATE_MARGIN_SECONDS = 300

async function activeOrganisation(ctx: AgentContext, organisationId: string): Promise<OrganisationRow> {
  const org = await getOrganisation(ctx, organisationId)
  if (org.status === 'deactivated') {
    throw new ClavisError({
      code: 'did_deactivated',
      message: `The DID of organisation ${org.id} is deactivated; it can no longer change or sign. Create a new organisation.`,
    })
  }
  return org
}

async function identifierAndController(
  ctx: AgentContext,
  did: string,
): Promise<{ identifier: IIdentifier; controller: IKey }> {
  const identifier = await ctx.veramo.didManagerGet({ did })
  const controller = identifier.keys.find((k) => k.kid === identifier.controllerKeyId)
  if (!controller) throw new Error(`identifier ${did} has no controller key in the key store`)
  return { identifier, controller }
}

async function recordEvent(
  ctx: AgentContext,
  organisationId: string,
  kind: string,
  detail: Record<string, unknown>,
  txHash: string | null,
): Promise<void> {
  await ctx.db.getRepository(DidEventEntity).insert({
    id: newId(),
    organisationId,
    kind,
    detail: JSON.stringify(detail),
    txHash,
    at: nowIso(),
  })
}

async function fund(ctx: AgentContext, publicKeyHex: string): Promise<void> {
  const funderKey = ctx.chain.funderKey
  if (!funderKey) return
  await fundAddress({ provider: ctx.chain.provider, funderKey, address: addressOfPublicKey(publicKeyHex) })
}

/**
 * Adds a service endpoint to an organisation's DID on chain (`did/svc/<type>` attribute).
 *
 * @example
 * await addService(ctx, { organisationId, type: 'LinkedDomains', serviceEndpoint: 'https://board.example' })
 */
export async function addService(
  ctx: AgentContext,
  input: { organisationId: string; type: string; serviceEndpoint: string },
): Promise<{ txHash: string }> {
  const org = await activeOrganisation(ctx, input.organisationId)
  const txHash = await ctx.chain.writeLock.run(async () => {
    const { identifier } = await identifierAndController(ctx, org.did)
    return (await ctx.veramo.didManagerAddService({
      did: org.did,
      service: {
        id: `${org.did}#service-${identifier.services.length + 1}`,
        type: input.type,
        serviceEndpoint: input.serviceEndpoint,
      },
      options: { ttl: LONG_VALIDITY_SECONDS },
    })) as string
  })
  await recordEvent(ctx, org.id, 'add-service', { type: input.type }, txHash)
  return { txHash }
}

/**
 * Creates a new secp256k1 key in the key store and publishes it on chain as a delegate
 * verification key of the organisation's DID (`did/pub/Secp256k1/veriKey/hex`).
 *
 * @example
 * const { kid } = await addDelegateKey(ctx, { organisationId, validitySeconds: 86400 })
 */
export async function addDelegateKey(
  ctx: AgentContext,
  input: { organisationId: string; validitySeconds?: number | undefined },
): Promise<{ kid: string; publicKeyHex: string; txHash: string; validUntil: string }> {
  const org = await activeOrganisation(ctx, input.organisationId)
  const validity = input.validitySeconds ?? LONG_VALIDITY_SECONDS
  const key = await ctx.veramo.keyManagerCreate({ kms: 'local', type: 'Secp256k1' })
  const txHash = await ctx.chain.writeLock.run(
    async () =>
      (await ctx.veramo.didManagerAddKey({ did: org.did, key, options: { ttl: validity } })) as string,
  )
  await recordEvent(ctx, org.id, 'add-delegate-key', { kid: key.kid, validitySeconds: validity }, txHash)
  return {
    kid: key.kid,
    publicKeyHex: key.publicKeyHex,
    txHash,
    validUntil: new Date(Date.now() + validity * 1000).toISOString(),
  }
}

/**
 * Revokes a delegate key on chain and deletes it from the key store.
 *
 * @example
 * await revokeDelegateKey(ctx, { organisationId, kid })
 */
export async function revokeDelegateKey(
  ctx: AgentContext,
  input: { organisationId: string; kid: string },
): Promise<{ txHash: string }> {
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
  if (!key) {
    throw new ClavisError({
      code: 'not_found',
      message: `Organisation ${org.id} has no delegate key "${input.kid}". List keys with GET /v1/organisations/${org.id}/did.`,
    })
  }
  const txHash = await ctx.chain.writeLock.run(
    async () => (await ctx.veramo.didManagerRemoveKey({ did: org.did, kid: key.kid })) as string,
  )
  await ctx.veramo.keyManagerDelete({ kid: key.kid })
  await recordEvent(ctx, org.id, 'revoke-delegate-key', { kid: key.kid }, txHash)
  return { txHash }
}

/** A secp256k1 public key (hex, compressed or not, optional 0x) in compressed form; undefined if not one. */
function normalisePublicKey(hex: string): string | undefined {
  try {
    return SigningKey.computePublicKey(`0x${hex.replace(/^0x/, '')}`, true).toLowerCase()
  } catch {
    return undefined
  }
}

/** The organisation's keys in the key store: the controller and delegate signing keys. */
export async function listKeys(
  ctx: AgentContext,
  organisationId: string,
): Promise<{ kid: string; publicKeyHex: string; role: 'controller' | 'delegate' }[]> {
  const org = await getOrganisation(ctx, organisationId)
  if (org.status === 'deactivated') return []
  const { identifier } = await identifierAndController(ctx, org.did)
  return identifier.keys.map((k) => ({
    kid: k.kid,
    publicKeyHex: normalisePublicKey(k.publicKeyHex) ?? k.publicKeyHex,
    role: k.kid === identifier.controllerKeyId ? 'controller' : 'delegate',
  }))
}

/** What a rotation did. */
export interface RotationResult {
  policy: 'routine' | 'compromise'
  oldKid: string
  newKid: string
  txHashes: string[]
  /** routine: until when the old key stays a verification delegate (undefined: it signed nothing). */
  oldKeyVerifiableUntil: string | undefined
  /** compromise: credentials signed with the old key, which no longer verify and must be re-issued. */
  reissue: { id: string; type: string; subjectDid: string }[]
  /** compromise: delegates and key attributes on chain that this agent did not add, now revoked. */
  revoked: (
    | { kind: 'delegate'; type: string; address: string }
    | { kind: 'attribute'; name: string; value: string }
  )[]
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
  controller: IKey,
): Promise<RotationResult['revoked']> {
  const { delegates, attributes } = await readValidEntries({
    provider: ctx.chain.provider,
    registry: ctx.chain.registry,
    did: org.did,
    now: new Date(),
  })
  const ownKeys = new Set(
    identifier.keys
      .filter((k) => k.kid !== controller.kid)
      .map((k) => normalisePublicKey(k.publicKeyHex))
      .filter((k) => k !== undefined),
  )
  const rotations = await ctx.db
    .getRepository(DidEventEntity)
    .findBy({ organisationId: org.id, kind: 'rotate-routine' })
  const ownDelegates = new Set(
    rotations.map((e) =>
      addressOfPublicKey((JSON.parse(e.detail) as { oldKid: string }).oldKid).toLowerCase(),
    ),
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
 * Rotates an organisation's controller key (DESIGN §3). `routine`: ownership moves to a new key and
 * the old key stays a verification delegate until the last credential it signed expires, so those
 * keep verifying. `compromise`: ownership moves and the old key is dropped at once; every credential
 * it signed stops verifying and is returned for re-issue. Either way the old private key is deleted.
 *
 * @example
 * const result = await rotateKey(ctx, { organisationId, policy: 'routine' })
 */
export async function rotateKey(
  ctx: AgentContext,
  input: { organisationId: string; policy: 'routine' | 'compromise' },
): Promise<RotationResult> {
  const org = await activeOrganisation(ctx, input.organisationId)
  return ctx.chain.writeLock.run(async () => {
    const { identifier, controller } = await identifierAndController(ctx, org.did)
    const newKey = await ctx.veramo.keyManagerCreate({ kms: 'local', type: 'Secp256k1' })
    await fund(ctx, newKey.publicKeyHex)
    const txHashes: string[] = []
    txHashes.push(
      await ethrDidFor(ctx, identifier, controller).changeOwner(addressOfPublicKey(newKey.publicKeyHex)),
    )
    let verifiableUntil: string | undefined
    let revoked: RotationResult['revoked'] = []
    if (input.policy === 'routine') {
      const validity = await validityForOldKey(ctx, controller.kid)
      if (validity !== undefined) {
        txHashes.push(
          await ethrDidFor(ctx, identifier, newKey).addDelegate(addressOfPublicKey(controller.publicKeyHex), {
            delegateType: DelegateTypes.veriKey,
            expiresIn: validity,
          }),
        )
        verifiableUntil = new Date(Date.now() + validity * 1000).toISOString()
      }
    } else {
      // Whoever held the compromised key may have added keys of their own: every delegate and key
      // attribute on chain that this agent did not add is revoked with the new key.
      revoked = await foreignKeyEntries(ctx, org, identifier, controller)
      const newDid = ethrDidFor(ctx, identifier, newKey)
      for (const entry of revoked) {
        txHashes.push(
          entry.kind === 'delegate'
            ? await newDid.revokeDelegate(entry.address, entry.type as DelegateTypes)
            : await newDid.revokeAttribute(entry.name, entry.value),
        )
      }
    }
    await ctx.db.transaction(async (m) => {
      await m.getRepository(Key).update({ kid: newKey.kid }, { identifier: { did: org.did } as Identifier })
      await m.getRepository(Identifier).update({ did: org.did }, { controllerKeyId: newKey.kid })
    })
    await ctx.veramo.keyManagerDelete({ kid: controller.kid })
    ctx.signingKeys.forget(org.did)
    let reissue: RotationResult['reissue'] = []
    if (input.policy === 'compromise') {
      const repo = ctx.db.getRepository(IssuedCredentialEntity)
      await repo.update({ signerKid: controller.kid }, { reissueRequired: true })
      reissue = (await repo.find({ where: { signerKid: controller.kid }, order: { issuedAt: 'ASC' } })).map(
        (r) => ({
          id: r.id,
          type: r.type,
          subjectDid: r.subjectDid,
        }),
      )
    }
    await recordEvent(
      ctx,
      org.id,
      `rotate-${input.policy}`,
      { oldKid: controller.kid, newKid: newKey.kid, reissue: reissue.length, revoked },
      txHashes[0] ?? null,
    )
    ctx.log.info('controller key rotated', {
      organisation: org.id,
      policy: input.policy,
      reissue: reissue.length,
    })
    return {
      policy: input.policy,
      oldKid: controller.kid,
      newKid: newKey.kid,
      txHashes,
      oldKeyVerifiableUntil: verifiableUntil,
      reissue,
      revoked,
    }
  })
}

/**
 * Deactivates an organisation's DID: ownership goes to the null address, so resolution marks it
 * deactivated and nothing it signed verifies any more. Deletes its private keys. Irreversible.
 *
 * @example
 * await deactivateDid(ctx, { organisationId })
 */
export async function deactivateDid(
  ctx: AgentContext,
  input: { organisationId: string },
): Promise<{ txHash: string }> {
  const org = await activeOrganisation(ctx, input.organisationId)
  const txHash = await ctx.chain.writeLock.run(async () => {
    const { identifier, controller } = await identifierAndController(ctx, org.did)
    const hash = await ethrDidFor(ctx, identifier, controller).changeOwner(NULL_ADDRESS)
    for (const k of identifier.keys) await ctx.veramo.keyManagerDelete({ kid: k.kid })
    ctx.signingKeys.forget(org.did)
    return hash
  })
  await ctx.db.getRepository(OrganisationEntity).update({ id: org.id }, { status: 'deactivated' })
  forgetIssuanceCache(ctx, org.id)
  await recordEvent(ctx, org.id, 'deactivate', {}, txHash)
  return { txHash }
}
