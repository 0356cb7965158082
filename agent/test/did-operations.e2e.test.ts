import { setTimeout as sleep } from 'node:timers/promises'
import { Key } from '@veramo/data-store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { identityOwner } from '../src/chain/owner'
import {
  ASSERTION_KEY_VALIDITY_SECONDS,
  activeAssertionKey,
  compressedHex,
  publishedUntil,
} from '../src/features/dids/assertion-keys'
import { attributeValue, KEY_ATTRIBUTE } from '../src/features/dids/attributes'
import { addressOf, identifierAndController, writeAs } from '../src/features/dids/controller'
import { DidOperationEntity } from '../src/features/dids/entities'
import { ethrDidFor } from '../src/features/dids/ethr-controller'
import { openOperation } from '../src/features/dids/operation-store'
import { reconcile } from '../src/features/dids/reconcile'
import { inDays, licenceClaims, startTestAgent, type TestAgent } from './harness'
import { decodeJwt, holderKey } from './holders'
import { legacyOrganisation } from './legacy-organisations'

// Every point at which a crash can interrupt a DID operation that changes keys, made
// deterministically: the intent alone, the chain changed but not the database, the database
// changed but an old key half deleted. Reconciliation (what start-up runs) must complete each,
// and signing must work after.

describe('an interrupted rotation or first assertion key is completed by reconciliation, from any step', () => {
  let t: TestAgent
  const clinician = holderKey()
  beforeAll(async () => {
    t = await startTestAgent()
  })
  afterAll(async () => {
    await t?.stop()
  })

  const ctx = () => t.agent.ctx
  const issue = (org: { id: string; token: string } = t.board) =>
    t.request('POST', `/v1/organisations/${org.id}/credentials`, {
      token: org.token,
      body: {
        type: 'ClinicianLicenseCredential',
        subject: clinician.did,
        claims: licenceClaims(),
        validUntil: inDays(30),
      },
    })
  const verify = async (jwt: string) =>
    (await t.request('POST', '/v1/verify', { body: { credential: jwt, verifier: t.hospital.id } })).body
  /** The id the DID document gives a key now (undefined: not listed). */
  const methodIdOf = async (did: string, publicKeyHex: string) => {
    const doc = (await ctx().resolver.resolve(did)).didDocument!
    return doc.verificationMethod?.find((m) => m.publicKeyHex === publicKeyHex.replace(/^0x/, ''))?.id
  }

  /** Records a rotation's intent for the board, as rotateKey does before any chain write. */
  async function intent(policy: 'routine' | 'compromise' = 'routine') {
    const { controller } = await identifierAndController(ctx(), t.board.did)
    const old = (await activeAssertionKey(ctx().db, t.board.id))!
    const newKey = await ctx().veramo.keyManagerCreate({ kms: 'local', type: 'Secp256k1' })
    const newAssertion = await ctx().veramo.keyManagerCreate({ kms: 'local', type: 'Secp256k1' })
    const op = await openOperation(ctx(), {
      organisationId: t.board.id,
      kind: 'rotate',
      params: {
        policy,
        oldKid: controller.kid,
        oldAddress: addressOf(controller.publicKeyHex),
        newKid: newKey.kid,
        newAddress: addressOf(newKey.publicKeyHex),
        assertion: {
          oldKid: old.keyId,
          oldPublicKeyHex: old.publicKeyHex,
          newKid: newAssertion.kid,
          newPublicKeyHex: compressedHex(newAssertion.publicKeyHex),
          validitySeconds: ASSERTION_KEY_VALIDITY_SECONDS,
        },
      },
    })
    return { op, controller, newKey, old, newAssertion }
  }
  async function expectCompleted(o: {
    newKid: string
    oldKid: string
    oldAssertion: string
    newAssertion: string
  }) {
    const report = await reconcile(ctx())
    expect(report.problems).toEqual([])
    const { controller } = await identifierAndController(ctx(), t.board.did)
    expect(controller.kid).toBe(o.newKid)
    expect(await identityOwner(ctx().chain, t.board.did)).toBe(addressOf(controller.publicKeyHex))
    expect((await activeAssertionKey(ctx().db, t.board.id))?.keyId).toBe(o.newAssertion)
    for (const kid of [o.oldKid, o.oldAssertion])
      expect(await ctx().db.getRepository(Key).existsBy({ kid })).toBe(false)
    expect(await ctx().db.getRepository(DidOperationEntity).findBy({ organisationId: t.board.id })).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ state: 'pending' })]),
    )
    const issued = await issue()
    expect(issued.status).toBe(201)
    expect((await verify(issued.body.jwt)).valid).toBe(true)
  }

  it('killed right after the intent was recorded: nothing on chain yet', async () => {
    const { controller, newKey, old, newAssertion } = await intent()
    // Until it is completed, the organisation's DID takes no other change.
    const blocked = await t.request('POST', `/v1/organisations/${t.board.id}/did/rotate`, {
      token: t.board.token,
      body: { policy: 'routine' },
    })
    expect(blocked.status).toBe(409)
    await expectCompleted({
      newKid: newKey.kid,
      oldKid: controller.kid,
      oldAssertion: old.keyId,
      newAssertion: newAssertion.kid,
    })
  })

  it('killed after the chain changed owner, before the database moved: the assertion key still signs, and what it signs keeps verifying', async () => {
    const { controller, newKey, old, newAssertion } = await intent()
    const { identifier } = await identifierAndController(ctx(), t.board.did)
    await ctx().chain.write(() =>
      ethrDidFor(ctx(), identifier, controller).changeOwner(addressOf(newKey.publicKeyHex)),
    )
    ctx().signingKeys.forget(t.board.did)
    // The controller only manages the DID: signing does not depend on it.
    const during = await issue()
    expect(during.status).toBe(201)
    expect(decodeJwt(during.body.jwt).header.kid).toBe(await methodIdOf(t.board.did, old.publicKeyHex))
    await expectCompleted({
      newKid: newKey.kid,
      oldKid: controller.kid,
      oldAssertion: old.keyId,
      newAssertion: newAssertion.kid,
    })
    expect((await verify(during.body.jwt)).valid).toBe(true)
  })

  it('killed after the new assertion key was published, before the database moved: it is not published again', async () => {
    const { controller, newKey, old, newAssertion } = await intent()
    const { identifier } = await identifierAndController(ctx(), t.board.did)
    await ctx().chain.write(() =>
      ethrDidFor(ctx(), identifier, controller).changeOwner(addressOf(newKey.publicKeyHex)),
    )
    const value = compressedHex(newAssertion.publicKeyHex)
    // As the rotation does: signed by the new controller, which gets gas first.
    await writeAs(ctx(), identifier, newKey, (d) =>
      d.setAttribute(KEY_ATTRIBUTE, attributeValue(value), ASSERTION_KEY_VALIDITY_SECONDS),
    )
    const id = await methodIdOf(t.board.did, value)
    expect(id).toMatch(/#delegate-\d+$/)
    await expectCompleted({
      newKid: newKey.kid,
      oldKid: controller.kid,
      oldAssertion: old.keyId,
      newAssertion: newAssertion.kid,
    })
    // A second publication would have given the key a new id and orphaned the kid of what it signed.
    expect(await methodIdOf(t.board.did, value)).toBe(id)
    const issued = await issue()
    expect(decodeJwt(issued.body.jwt).header.kid).toBe(id)
  })

  it('compromise killed after the old assertion key was revoked on chain, before the database moved: signing is refused until it is completed', async () => {
    const before = await issue()
    const { controller, newKey, old, newAssertion } = await intent('compromise')
    const { identifier } = await identifierAndController(ctx(), t.board.did)
    await ctx().chain.write(() =>
      ethrDidFor(ctx(), identifier, controller).changeOwner(addressOf(newKey.publicKeyHex)),
    )
    await writeAs(ctx(), identifier, newKey, (d) =>
      d.revokeAttribute(KEY_ATTRIBUTE, attributeValue(old.publicKeyHex)),
    )
    expect(await publishedUntil(ctx(), t.board.did, old.publicKeyHex)).toBeUndefined()
    await sleep(1100)
    ctx().signingKeys.forget(t.board.did)
    const refused = await issue()
    expect(refused.status).toBe(409)
    expect(refused.body.code).toBe('signing_key_not_current')
    await expectCompleted({
      newKid: newKey.kid,
      oldKid: controller.kid,
      oldAssertion: old.keyId,
      newAssertion: newAssertion.kid,
    })
    const listed = await t.request(
      'GET',
      `/v1/organisations/${t.board.id}/credentials?reissueRequired=true`,
      {
        token: t.board.token,
      },
    )
    expect(listed.body.credentials.map((c: { id: string }) => c.id)).toContain(before.body.id)
    expect((await verify(before.body.jwt)).checks.signature.passed).toBe(false)
  })

  it('killed while the old keys were being deleted (private key gone, record left)', async () => {
    const before = (await identifierAndController(ctx(), t.board.did)).controller
    const oldAssertion = (await activeAssertionKey(ctx().db, t.board.id))!
    const oldAssertionKey = await ctx().veramo.keyManagerGet({ kid: oldAssertion.keyId })
    const rotated = await t.request('POST', `/v1/organisations/${t.board.id}/did/rotate`, {
      token: t.board.token,
      body: { policy: 'routine' },
    })
    expect(rotated.status).toBe(200)
    // Put back the old keys' public records, and the operation one step before done.
    for (const key of [before, oldAssertionKey])
      await ctx()
        .db.getRepository(Key)
        .insert({ ...key, identifier: { did: t.board.did } } as never)
    const op = (
      await ctx()
        .db.getRepository(DidOperationEntity)
        .find({ where: { organisationId: t.board.id, kind: 'rotate' }, order: { createdAt: 'DESC' } })
    )[0]!
    await ctx().db.getRepository(DidOperationEntity).update({ id: op.id }, { state: 'committed' })
    const newController = (await identifierAndController(ctx(), t.board.did)).controller
    await expectCompleted({
      newKid: newController.kid,
      oldKid: before.kid,
      oldAssertion: oldAssertion.keyId,
      newAssertion: rotated.body.newKid,
    })
  })

  describe("an organisation's first assertion key", () => {
    /** A legacy organisation with the intent of its first assertion key recorded, nothing else. */
    async function firstKeyIntent(name: string) {
      const legacy = await legacyOrganisation(t, name)
      const key = await ctx().veramo.keyManagerCreate({ kms: 'local', type: 'Secp256k1' })
      const publicKeyHex = compressedHex(key.publicKeyHex)
      await openOperation(ctx(), {
        organisationId: legacy.id,
        kind: 'add-assertion-key',
        params: { kid: key.kid, publicKeyHex, validitySeconds: ASSERTION_KEY_VALIDITY_SECONDS },
      })
      return { legacy, key, publicKeyHex }
    }
    async function expectIssuesWith(legacy: { id: string; did: string; token: string }, kid: string) {
      const report = await reconcile(ctx())
      expect(report.problems).toEqual([])
      expect((await activeAssertionKey(ctx().db, legacy.id))?.keyId).toBe(kid)
      const issued = await issue(legacy)
      expect(issued.status).toBe(201)
      expect((await verify(issued.body.jwt)).valid).toBe(true)
      return decodeJwt(issued.body.jwt).header.kid as string
    }

    it('killed right after its intent was recorded', async () => {
      const { legacy, key } = await firstKeyIntent('First Key Board')
      // Signing waits for it (another change to the DID is open).
      const waiting = await issue(legacy)
      expect(waiting.status).toBe(409)
      expect(waiting.body.code).toBe('signing_key_not_current')
      expect(await expectIssuesWith(legacy, key.kid)).toBe(`${legacy.did}#delegate-1`)
    })

    it('killed after it was published, before the database recorded it: it is not published again', async () => {
      const { legacy, key, publicKeyHex } = await firstKeyIntent('First Key Hospital')
      const { identifier, controller } = await identifierAndController(ctx(), legacy.did)
      await ctx().chain.write(() =>
        ethrDidFor(ctx(), identifier, controller).setAttribute(
          KEY_ATTRIBUTE,
          attributeValue(publicKeyHex),
          ASSERTION_KEY_VALIDITY_SECONDS,
        ),
      )
      expect(await expectIssuesWith(legacy, key.kid)).toBe(`${legacy.did}#delegate-1`)
    })
  })
})
