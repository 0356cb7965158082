import { setTimeout as sleep } from 'node:timers/promises'
import { verifyCredential } from 'did-jwt-vc'
import { type DIDDocument, Resolver, type ResolverRegistry } from 'did-resolver'
import { SigningKey, Wallet } from 'ethers'
import { getResolver } from 'ethr-did-resolver'
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AssertionKeyEntity } from '../src/features/dids/entities'
import { DelegateTypes, ethrDidFor } from '../src/features/dids/ethr-controller'
import { reconcile } from '../src/features/dids/reconcile'
import { inDays, licenceClaims, startTestAgent, type TestAgent } from './harness'
import { decodeJwt, holderKey } from './holders'
import { legacyOrganisation, signedByController } from './legacy-organisations'

// ADR 0024: organisations sign with assertion keys that the DID document lists with their public
// key, so a credential's `kid` names its key for as long as the credential is valid — through
// routine rotations — and verifiers that look a key up by `kid` (no recovery) accept it; a
// compromise rotation makes what the compromised key signed fail everywhere. Checked with our
// verifier, did-jwt-vc + ethr-did-resolver, and a kid-only verifier (jose) that dereferences the
// `kid` in the DID document and uses nothing else.

describe('assertion keys: a kid that resolves for as long as the credential is valid', () => {
  let t: TestAgent
  let resolver: Resolver
  let org: { id: string; did: string }
  let token: string
  const clinician = holderKey()
  /** Credentials by the key that signed them: the first assertion key, the second, … */
  const signed: Record<string, string> = {}

  const issue = async (o: { token?: string; orgId?: string; validUntil?: string } = {}) => {
    const res = await t.request('POST', `/v1/organisations/${o.orgId ?? org.id}/credentials`, {
      token: o.token ?? token,
      body: {
        type: 'ClinicianLicenseCredential',
        subject: clinician.did,
        claims: licenceClaims(),
        validUntil: o.validUntil ?? inDays(365),
      },
    })
    return res
  }
  const issued = async (o: Parameters<typeof issue>[0] = {}) => {
    const res = await issue(o)
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body.jwt as string
  }
  const ours = async (jwt: string) =>
    (await t.request('POST', '/v1/verify', { body: { credential: jwt, verifier: t.hospital.id } })).body
  const didJwtVc = (jwt: string) => verifyCredential(jwt, resolver)
  /**
   * A verifier that finds the key by the `kid` alone (DID Core §7.2 dereferencing, VC-JOSE-COSE):
   * the verification method with exactly that id, a public key in `assertionMethod`, verified
   * with jose. No key recovery, no trying other keys.
   */
  const byKid = async (jwt: string) => {
    const { kid, alg } = decodeProtectedHeader(jwt)
    if (alg !== 'ES256K' || !kid) throw new Error(`alg ${alg}, kid ${kid}`)
    const did = kid.split('#')[0]!
    const { didDocument } = await resolver.resolve(did)
    const method = didDocument?.verificationMethod?.find((m) => m.id === kid)
    if (!method || !didDocument?.assertionMethod?.includes(kid))
      throw new Error(`the kid ${kid} names no assertion method of ${did}`)
    if (typeof method.publicKeyHex !== 'string') throw new Error(`${kid} is not a public key`)
    const point = SigningKey.computePublicKey(`0x${method.publicKeyHex}`, false).slice(4)
    const jwk = {
      kty: 'EC',
      crv: 'secp256k1',
      x: Buffer.from(point.slice(0, 64), 'hex').toString('base64url'),
      y: Buffer.from(point.slice(64), 'hex').toString('base64url'),
    }
    const { payload } = await jwtVerify(jwt, await importJWK(jwk, 'ES256K'), { algorithms: ['ES256K'] })
    if (payload.iss !== did) throw new Error(`issuer ${payload.iss} is not the DID of the kid`)
    return payload
  }
  const documentOf = async (did: string) => (await resolver.resolve(did)).didDocument as DIDDocument
  /** The verification method the credential's kid names in the DID document as the chain has it now. */
  const methodOfKid = async (jwt: string) => {
    const kid = decodeJwt(jwt).header.kid as string
    const doc = await documentOf(kid.split('#')[0]!)
    return {
      kid,
      method: doc.verificationMethod?.find((m) => m.id === kid),
      asserts: (doc.assertionMethod ?? []).includes(kid),
    }
  }
  /** Accepted by our verifier, did-jwt-vc and the kid-only verifier, with a kid naming a public key. */
  const expectVerifiesEverywhere = async (jwt: string) => {
    const { method, asserts } = await methodOfKid(jwt)
    expect(method).toMatchObject({
      type: 'EcdsaSecp256k1VerificationKey2019',
      publicKeyHex: expect.any(String),
    })
    expect(asserts).toBe(true)
    const result = await ours(jwt)
    expect(result.valid, JSON.stringify(result.checks)).toBe(true)
    expect((await didJwtVc(jwt)).verified).toBe(true)
    expect((await byKid(jwt)).sub).toBe(clinician.did)
  }
  const rotate = async (policy: 'routine' | 'compromise', o: { orgId?: string; token?: string } = {}) => {
    const res = await t.request('POST', `/v1/organisations/${o.orgId ?? org.id}/did/rotate`, {
      token: o.token ?? token,
      body: { policy },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body
  }
  const keysOf = async (orgId: string) =>
    (await t.request('GET', `/v1/organisations/${orgId}/did`)).body.keys as {
      kid: string
      publicKeyHex: string
      role: string
    }[]

  beforeAll(async () => {
    t = await startTestAgent()
    const health = await t.request('GET', '/v1/health', { token: t.admin })
    const { rpcOrigin: rpcUrl, registry } = health.body.chain
    resolver = new Resolver(
      getResolver({ networks: [{ chainId: 31337, registry, rpcUrl }] }) as unknown as ResolverRegistry,
    )
    const created = await t.request('POST', '/v1/organisations', {
      token: t.admin,
      body: { name: 'Assertion Key Board', kind: 'board' },
    })
    expect(created.status).toBe(201)
    org = created.body.organisation
    token = created.body.token
    const trust = await t.request('POST', `/v1/organisations/${t.hospital.id}/trust`, {
      token: t.hospital.token,
      body: { issuer: org.did, types: ['ClinicianLicenseCredential'] },
    })
    expect(trust.status).toBe(201)
  })
  afterAll(async () => {
    await t?.stop()
  })

  it('a new organisation signs with an assertion key its DID document lists with its public key', async () => {
    const jwt = await issued()
    signed.first = jwt
    const { kid, method } = await methodOfKid(jwt)
    // The first key event of the DID: ethr-did-resolver names it #delegate-1.
    expect(kid).toBe(`${org.did}#delegate-1`)
    const assertion = (await keysOf(org.id)).find((k) => k.role === 'assertion')
    expect(assertion?.publicKeyHex.replace(/^0x/, '')).toBe(method?.publicKeyHex)
    // Not the controller key: that one only manages the DID.
    const controller = (await keysOf(org.id)).find((k) => k.role === 'controller')
    expect(controller?.publicKeyHex).not.toBe(assertion?.publicKeyHex)
    await expectVerifiesEverywhere(jwt)
  })

  it('#delegate-N counts every key event of the DID, expired and revoked ones included, so a kid never changes', async () => {
    const keys = `/v1/organisations/${org.id}/did/keys`
    const added = await t.request('POST', keys, { token, body: {} }) // #delegate-2
    expect(added.status).toBe(201)
    const revoked = await t.request('DELETE', `${keys}/${added.body.kid}`, { token }) // counts as 3
    expect(revoked.status).toBe(200)
    const identifier = await t.agent.ctx.veramo.didManagerGet({ did: org.did })
    const controller = identifier.keys.find((k) => k.kid === identifier.controllerKeyId)!
    const shortLived = Wallet.createRandom()
    await t.agent.ctx.chain.write(() =>
      ethrDidFor(t.agent.ctx, identifier, controller).addDelegate(shortLived.address, {
        delegateType: DelegateTypes.veriKey,
        expiresIn: 1,
      }),
    ) // #delegate-4, expired a second later
    await sleep(2100)
    const doc = await documentOf(org.did)
    expect(JSON.stringify(doc).toLowerCase()).not.toContain(shortLived.address.toLowerCase().slice(2))
    expect((await methodOfKid(signed.first!)).method?.id).toBe(`${org.did}#delegate-1`)
    // The next key is the fifth key event: revoked and expired ones counted.
    const rotated = await rotate('routine')
    const next = await issued()
    expect((await methodOfKid(next)).kid).toBe(`${org.did}#delegate-5`)
    expect(rotated.newKid).toBe((await keysOf(org.id)).find((k) => k.role === 'assertion')?.kid)
    signed.second = next
  })

  it('routine rotation: credentials signed before keep a kid that names their public key, and verify everywhere', async () => {
    const before = (await t.agent.ctx.db.getRepository(AssertionKeyEntity).findBy({ did: org.did })).find(
      (k) => k.state === 'active',
    )!
    const result = await rotate('routine')
    expect(result.oldKid).toBe(before.keyId)
    expect(result.reissue).toEqual([])
    // The old key stays published for its whole validity (~13 years), beyond anything it signed.
    expect(result.oldKeyVerifiableUntil).toBe(before.publishedUntil)
    expect(Date.parse(result.oldKeyVerifiableUntil)).toBeGreaterThan(Date.parse(inDays(11 * 366)))
    // Its private key is gone; the key store lists the new one as the assertion key.
    const keys = await keysOf(org.id)
    expect(keys.map((k) => k.kid)).not.toContain(before.keyId)
    expect(keys.find((k) => k.role === 'assertion')?.kid).toBe(result.newKid)
    // The controller moved too: the DID's own key is no longer in the document.
    expect((await documentOf(org.did)).verificationMethod?.map((m) => m.id)).not.toContain(
      `${org.did}#controllerKey`,
    )
    for (const jwt of [signed.first!, signed.second!]) await expectVerifiesEverywhere(jwt)
    expect((await methodOfKid(signed.first!)).kid).toBe(`${org.did}#delegate-1`)
    signed.third = await issued()
    expect((await methodOfKid(signed.third)).kid).toBe(`${org.did}#delegate-6`)
    await expectVerifiesEverywhere(signed.third)
  })

  it('refuses (409 signing_key_expires_first) a credential that would outlive its key on chain, until a rotation', async () => {
    // Make the active key's publication end 400 days from now, as if it had signed for 12 years.
    const repo = t.agent.ctx.db.getRepository(AssertionKeyEntity)
    const active = (await repo.findOneBy({ did: org.did, state: 'active' }))!
    await repo.update({ id: active.id }, { publishedUntil: inDays(400) })
    t.agent.ctx.signingKeys.forget(org.did)
    expect((await issue({ validUntil: inDays(390) })).status).toBe(201)
    const refused = await issue({ validUntil: inDays(400) })
    expect(refused.status).toBe(409)
    expect(refused.body.code).toBe('signing_key_expires_first')
    expect(refused.body.message).toMatch(/rotate/i)
    await rotate('routine')
    expect((await issue({ validUntil: inDays(400) })).status).toBe(201)
  })

  it('compromise rotation: what the compromised key signed fails everywhere and is listed; what retired keys signed still verifies', async () => {
    const compromisedJwt = await issued()
    const { kid: compromisedKid } = await methodOfKid(compromisedJwt)
    const result = await rotate('compromise')
    expect(result.revoked).toEqual([])
    const compromisedRow = await t.agent.ctx.db
      .getRepository(AssertionKeyEntity)
      .findOneBy({ keyId: result.oldKid })
    expect(compromisedRow?.state).toBe('revoked')
    // A revocation is effective from the second after its block (registry times are whole seconds).
    await sleep(1100)
    expect((await methodOfKid(compromisedJwt)).method).toBeUndefined()
    const refused = await ours(compromisedJwt)
    expect(refused.valid).toBe(false)
    expect(refused.checks.signature).toMatchObject({ passed: false, code: 'invalid_signature' })
    await expect(didJwtVc(compromisedJwt)).rejects.toThrow()
    await expect(byKid(compromisedJwt)).rejects.toThrow(compromisedKid)
    const reissue = (result.reissue as { id: string }[]).map((c) => c.id)
    expect(reissue).toContain(decodeJwt(compromisedJwt).payload.jti.replace('urn:uuid:', ''))
    const listed = await t.request('GET', `/v1/organisations/${org.id}/credentials?reissueRequired=true`, {
      token,
    })
    expect(listed.body.credentials.map((c: { id: string }) => c.id).sort()).toEqual(reissue.sort())
    // Keys retired before the compromise had their private keys deleted then: still trusted.
    for (const jwt of [signed.first!, signed.second!, signed.third!]) await expectVerifiesEverywhere(jwt)
    await expectVerifiesEverywhere(await issued())
  })

  it('the assertion key cannot be revoked by hand (409: rotate instead)', async () => {
    const assertion = (await keysOf(org.id)).find((k) => k.role === 'assertion')!
    const res = await t.request('DELETE', `/v1/organisations/${org.id}/did/keys/${assertion.kid}`, { token })
    expect(res.status).toBe(409)
    expect(res.body.code).toBe('conflict')
    await expectVerifiesEverywhere(await issued())
  })

  describe('organisations made before assertion keys (signed with their controller key)', () => {
    it('gets an assertion key from reconciliation; what its controller signed keeps verifying through rotations', async () => {
      const legacy = await legacyOrganisation(t, 'Legacy Board')
      const old = await signedByController(t, legacy, clinician.did)
      expect(decodeJwt(old).header.kid).toBe(`${legacy.did}#controllerKey`)
      // Start-up's reconciliation gives it its first assertion key (before anything else signs:
      // its status lists, too, are signed by its assertion key).
      const report = await reconcile(t.agent.ctx)
      expect(report.problems).toEqual([])
      expect(report.done.join('\n')).toContain(`organisation ${legacy.id}: published its assertion key`)
      expect((await ours(old)).valid).toBe(true)
      const fresh = await issued({ orgId: legacy.id, token: legacy.token })
      expect((await methodOfKid(fresh)).kid).toBe(`${legacy.did}#delegate-1`)
      await expectVerifiesEverywhere(fresh)
      // A routine rotation moves the controller: the licence it signed keeps verifying through the
      // old controller's verification delegate (its kid no longer resolves: re-issue to fix that).
      const result = await rotate('routine', { orgId: legacy.id, token: legacy.token })
      expect(Date.parse(result.oldKeyVerifiableUntil)).toBeGreaterThan(Date.parse(inDays(364)))
      expect((await ours(old)).valid).toBe(true)
      expect((await didJwtVc(old)).verified).toBe(true)
      await expectVerifiesEverywhere(fresh)
      await expectVerifiesEverywhere(await issued({ orgId: legacy.id, token: legacy.token }))
    })

    it('compromise: what its controller signed fails everywhere and is listed for re-issue', async () => {
      const legacy = await legacyOrganisation(t, 'Legacy Compromised Board')
      const old = await signedByController(t, legacy, clinician.did)
      const fresh = await issued({ orgId: legacy.id, token: legacy.token }) // its first assertion key
      const result = await rotate('compromise', { orgId: legacy.id, token: legacy.token })
      await sleep(1100)
      const ids = (jwt: string) => decodeJwt(jwt).payload.jti.replace('urn:uuid:', '')
      expect(result.reissue.map((c: { id: string }) => c.id).sort()).toEqual([ids(old), ids(fresh)].sort())
      for (const jwt of [old, fresh]) {
        expect((await ours(jwt)).checks.signature).toMatchObject({ passed: false, code: 'invalid_signature' })
        await expect(didJwtVc(jwt)).rejects.toThrow()
        await expect(byKid(jwt)).rejects.toThrow()
      }
      await expectVerifiesEverywhere(await issued({ orgId: legacy.id, token: legacy.token }))
    })

    it('gets an assertion key at first use when reconciliation has not run', async () => {
      const legacy = await legacyOrganisation(t, 'Legacy Hospital Board')
      const jwt = await issued({ orgId: legacy.id, token: legacy.token })
      expect((await methodOfKid(jwt)).kid).toBe(`${legacy.did}#delegate-1`)
      await expectVerifiesEverywhere(jwt)
    })
  })
})
