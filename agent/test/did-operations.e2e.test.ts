import { Key } from '@veramo/data-store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { identityOwner } from '../src/chain/owner'
import { addressOf, identifierAndController } from '../src/features/dids/controller'
import { DidOperationEntity } from '../src/features/dids/entities'
import { ethrDidFor } from '../src/features/dids/ethr-controller'
import { openOperation } from '../src/features/dids/operation-store'
import { reconcile } from '../src/features/dids/reconcile'
import { inDays, licenceClaims, startTestAgent, type TestAgent } from './harness'
import { holderKey } from './holders'

// Every point at which a crash can interrupt a rotation, made deterministically: the intent alone,
// the chain changed but not the database, the database changed but the old key half deleted.
// Reconciliation (what start-up runs) must complete each, and signing must work after.

describe('an interrupted rotation is completed by reconciliation, from any step', () => {
  let t: TestAgent
  const clinician = holderKey()
  beforeAll(async () => {
    t = await startTestAgent()
  })
  afterAll(async () => {
    await t?.stop()
  })

  const ctx = () => t.agent.ctx
  /** Records a routine rotation's intent for the board, as rotateKey does before any chain write. */
  async function intent() {
    const { controller } = await identifierAndController(ctx(), t.board.did)
    const newKey = await ctx().veramo.keyManagerCreate({ kms: 'local', type: 'Secp256k1' })
    const op = await openOperation(ctx(), {
      organisationId: t.board.id,
      kind: 'rotate',
      params: {
        policy: 'routine',
        oldKid: controller.kid,
        oldAddress: addressOf(controller.publicKeyHex),
        newKid: newKey.kid,
        newAddress: addressOf(newKey.publicKeyHex),
      },
    })
    return { op, controller, newKey }
  }
  async function expectCompleted(newKid: string, oldKid: string) {
    const report = await reconcile(ctx())
    expect(report.problems).toEqual([])
    const { controller } = await identifierAndController(ctx(), t.board.did)
    expect(controller.kid).toBe(newKid)
    expect(await identityOwner(ctx().chain, t.board.did)).toBe(addressOf(controller.publicKeyHex))
    expect(await ctx().db.getRepository(Key).existsBy({ kid: oldKid })).toBe(false)
    expect(await ctx().db.getRepository(DidOperationEntity).findBy({ organisationId: t.board.id })).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ state: 'pending' })]),
    )
    const issued = await t.request('POST', `/v1/organisations/${t.board.id}/credentials`, {
      token: t.board.token,
      body: {
        type: 'ClinicianLicenseCredential',
        subject: clinician.did,
        claims: licenceClaims(),
        validUntil: inDays(30),
      },
    })
    expect(issued.status).toBe(201)
    const verified = await t.request('POST', '/v1/verify', {
      body: { credential: issued.body.jwt, verifier: t.hospital.id },
    })
    expect(verified.body.valid).toBe(true)
  }

  it('killed right after the intent was recorded: nothing on chain yet', async () => {
    const { controller, newKey } = await intent()
    // Until it is completed, the organisation's DID takes no other change.
    const blocked = await t.request('POST', `/v1/organisations/${t.board.id}/did/rotate`, {
      token: t.board.token,
      body: { policy: 'routine' },
    })
    expect(blocked.status).toBe(409)
    await expectCompleted(newKey.kid, controller.kid)
  })

  it('killed after the chain changed owner, before the database moved: signing is refused until it is completed', async () => {
    const { controller, newKey } = await intent()
    const { identifier } = await identifierAndController(ctx(), t.board.did)
    await ctx().chain.write(() =>
      ethrDidFor(ctx(), identifier, controller).changeOwner(addressOf(newKey.publicKeyHex)),
    )
    ctx().signingKeys.forget(t.board.did)
    const refused = await t.request('POST', `/v1/organisations/${t.board.id}/credentials`, {
      token: t.board.token,
      body: {
        type: 'ClinicianLicenseCredential',
        subject: clinician.did,
        claims: licenceClaims(),
        validUntil: inDays(30),
      },
    })
    expect(refused.status).toBe(409)
    expect(refused.body.code).toBe('signing_key_not_current')
    await expectCompleted(newKey.kid, controller.kid)
  })

  it('killed while the old key was being deleted (private key gone, record left)', async () => {
    const before = (await identifierAndController(ctx(), t.board.did)).controller
    const rotated = await t.request('POST', `/v1/organisations/${t.board.id}/did/rotate`, {
      token: t.board.token,
      body: { policy: 'routine' },
    })
    expect(rotated.status).toBe(200)
    // Put back the old key's public record, and the operation one step before done.
    await ctx()
      .db.getRepository(Key)
      .insert({ ...before, identifier: { did: t.board.did } } as never)
    const op = (
      await ctx()
        .db.getRepository(DidOperationEntity)
        .find({ where: { organisationId: t.board.id, kind: 'rotate' }, order: { createdAt: 'DESC' } })
    )[0]!
    await ctx().db.getRepository(DidOperationEntity).update({ id: op.id }, { state: 'committed' })
    await expectCompleted(rotated.body.newKid, before.kid)
  })
})
