import { presentSdJwtVc } from '@clavis/sd-jwt'
import { signTokenStatusListJwt, TOKEN_STATUS, TokenStatusList } from '@clavis/status'
import { presentJwtVp } from '@clavis/verify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IssuedCredentialEntity } from '../src/features/issuance/entities'
import { UploadedListEntity } from '../src/features/status/entities'
import { inDays, licenceClaims, patientClaims, startTestAgent, type TestAgent } from './harness'
import { agentCalls, decodeJwt, type HolderKey, holderKey } from './holders'

// Requests that run at the same time on one agent (one database connection with SQLite, a pool
// with PostgreSQL): a single-use nonce is accepted once even while other requests' transactions
// roll back, uploads race to "newest wins", status changes race to one of the requested states.

const ROUNDS = 6
const COPIES = 4

describe('concurrent requests', () => {
  let t: TestAgent
  let calls: ReturnType<typeof agentCalls>
  const clinician = holderKey()
  const patient = holderKey()
  const lister = holderKey()
  let listPath: string
  let listUrl: string
  let listIat = Math.floor(Date.now() / 1000) - 120

  const signList = (iat: number, revoked: number[] = []) => {
    const list = TokenStatusList.create({ size: 131_072, bits: 2 })
    for (const i of revoked) list.set(i, TOKEN_STATUS.INVALID)
    return signTokenStatusListJwt({
      issuer: lister.did,
      kid: lister.kid,
      alg: 'ES256K',
      signer: lister.signer,
      uri: listUrl,
      list,
      iat: new Date(iat * 1000),
      ttlSeconds: 300,
      expiresInSeconds: 86_400,
    })
  }
  const upload = async (jwt: string | Promise<string>) =>
    t.request('PUT', listPath, { raw: await jwt, headers: { 'content-type': 'application/statuslist+jwt' } })

  let revokedId: string
  /** Status changes that are refused inside their transaction (revocation is final): they roll back. */
  const rollbacks = (n: number) =>
    Array.from({ length: n }, () => calls.setStatus(t.board, revokedId, 'reinstate'))

  beforeAll(async () => {
    t = await startTestAgent()
    calls = agentCalls(t)
    listUrl = `${t.agent.ctx.publicUrl}/v1/status-lists/dids/${lister.did}/grants`
    listPath = new URL(listUrl).pathname
    expect((await upload(signList(listIat))).status).toBe(201)
    revokedId = (await issueLicence()).id
    expect((await calls.setStatus(t.board, revokedId, 'revoke')).status).toBe(200)
  })
  afterAll(async () => {
    await t?.stop()
  })

  const issueLicence = async (subject: HolderKey = clinician) => {
    const res = await calls.issue(t.board, {
      type: 'ClinicianLicenseCredential',
      subject: subject.did,
      claims: licenceClaims(),
      validUntil: inDays(365),
    })
    expect(res.status).toBe(201)
    return res.body as { id: string; jwt: string }
  }

  it(`${COPIES} copies of one JWT VP, sent at once among rolled-back transactions: exactly one is accepted (${ROUNDS} rounds)`, async () => {
    const { jwt } = await issueLicence()
    for (let round = 0; round < ROUNDS; round++) {
      const request = await calls.presentationRequest()
      const vp = await presentJwtVp({
        credentials: [jwt],
        holder: clinician.did,
        kid: clinician.kid,
        signer: clinician.signer,
        nonce: request.nonce,
        audience: request.audience,
      })
      const copies = Array.from({ length: COPIES }, () => calls.verifyPresentation(vp, request))
      const [answers, refused] = await Promise.all([Promise.all(copies), Promise.all(rollbacks(6))])
      expect(refused.map((r) => r.status)).toEqual(Array(6).fill(409))
      expect(answers.filter((a) => a.valid === true)).toHaveLength(1)
      const replays = answers.filter((a) => a.valid !== true)
      for (const r of replays) expect(r.checks.nonceAudience).toMatchObject({ code: 'nonce_replayed' })
    }
  })

  it(`${COPIES} copies of one SD-JWT presentation among rolled-back transactions: exactly one is accepted`, async () => {
    const issued = await calls.issue(t.hospital, {
      type: 'PatientIdentityCredential',
      format: 'dc+sd-jwt',
      subject: patient.did,
      holderJwk: patient.jwk,
      claims: patientClaims(),
      validUntil: inDays(365),
    })
    expect(issued.status).toBe(201)
    for (let round = 0; round < ROUNDS; round++) {
      const request = await calls.presentationRequest()
      const presentation = await presentSdJwtVc({
        credential: issued.body.jwt,
        disclose: ['name'],
        keyBinding: {
          alg: 'ES256K',
          signer: patient.signer,
          nonce: request.nonce,
          audience: request.audience,
        },
      })
      const copies = Array.from({ length: COPIES }, () => calls.verifyPresentation(presentation, request))
      const [answers] = await Promise.all([Promise.all(copies), Promise.all(rollbacks(6))])
      expect(answers.filter((a) => a.valid === true)).toHaveLength(1)
    }
  })

  it('concurrent uploads of newer lists: no 5xx, and the newest one is what is held and served', async () => {
    const base = listIat + 10
    const iats = Array.from({ length: 12 }, (_, i) => base + i)
    // Shuffled so that the newest is neither first nor last to arrive.
    const order = [5, 11, 0, 7, 3, 9, 1, 10, 2, 8, 4, 6].map((i) => iats[i]!)
    const answers = await Promise.all(order.map((iat) => upload(signList(iat, [iat % 1000]))))
    for (const a of answers) expect([201, 409]).toContain(a.status)
    for (const a of answers.filter((x) => x.status === 409)) expect(a.body.code).toBe('stale_status_list')
    const newest = Math.max(...iats)
    listIat = newest
    const held = await t.agent.ctx.db.getRepository(UploadedListEntity).findBy({ issuerDid: lister.did })
    expect(held).toHaveLength(1)
    expect(held[0]!.issuedAt).toBe(newest)
    const served = await t.agent.app.request(listPath)
    expect(decodeJwt(await served.text()).payload.iat).toBe(newest)
  })

  it('concurrent revoke, suspend and reinstate: the final state is one that was asked for, revocation stays final, and the list agrees', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { id, jwt } = await issueLicence()
      if (round % 2 === 1) expect((await calls.setStatus(t.board, id, 'suspend')).status).toBe(200)
      const actions = ['revoke', 'suspend', 'reinstate', 'suspend', 'reinstate', 'revoke'] as const
      const answers = await Promise.all(actions.map((a) => calls.setStatus(t.board, id, a)))
      for (const a of answers) expect([200, 409]).toContain(a.status)
      const accepted = answers.filter((a) => a.status === 200).map((a) => a.body.status as string)
      const row = await t.agent.ctx.db.getRepository(IssuedCredentialEntity).findOneByOrFail({ id })
      // Every accepted change was applied in some order: the last of them is what is stored.
      expect(accepted).toContain(row.status)
      // A revoke that was accepted is final whatever came after it.
      if (accepted.includes('revoked')) expect(row.status).toBe('revoked')
      const verified = await calls.verify(jwt)
      const expected = {
        valid: { passed: true },
        revoked: { code: 'revoked' },
        suspended: { code: 'suspended' },
      }
      expect(verified.checks.status).toMatchObject(expected[row.status])
    }
  })

  it('the same trust entry added by concurrent requests: all succeed, one entry is stored', async () => {
    const issuer = holderKey().did
    const body = { issuer, types: ['AccessGrantCredential'] }
    const path = `/v1/organisations/${t.hospital.id}/trust`
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => t.request('POST', path, { token: t.hospital.token, body })),
    )
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201))
    const list = (await t.request('GET', path, { token: t.hospital.token })).body
    expect(list.entries.filter((e: { issuer: string }) => e.issuer === issuer)).toEqual([
      { issuer, types: ['AccessGrantCredential'] },
    ])
  })

  it('an issuance retried with its Idempotency-Key, even at the same time, gives the first credential once', async () => {
    const body = {
      type: 'ClinicianLicenseCredential',
      subject: clinician.did,
      claims: licenceClaims(),
      validUntil: inDays(200),
    }
    const key = `retry-${Date.now()}`
    const issue = (b: unknown = body) =>
      t.request('POST', `/v1/organisations/${t.board.id}/credentials`, {
        token: t.board.token,
        body: b,
        headers: { 'idempotency-key': key },
      })
    const answers = await Promise.all(Array.from({ length: 5 }, () => issue()))
    expect(answers.map((a) => a.status)).toEqual(Array(5).fill(201))
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1)
    const again = await issue()
    expect(again.body).toEqual(answers[0]!.body)
    const rows = await t.agent.ctx.db
      .getRepository(IssuedCredentialEntity)
      .findBy({ organisationId: t.board.id, idempotencyKey: key })
    expect(rows).toHaveLength(1)
    const other = await issue({ ...body, validUntil: inDays(100) })
    expect(other.status).toBe(422)
    expect(other.body.code).toBe('idempotency_key_reused')
    const bad = await t.request('POST', `/v1/organisations/${t.board.id}/credentials`, {
      token: t.board.token,
      body,
      headers: { 'idempotency-key': 'x'.repeat(129) },
    })
    expect(bad.status).toBe(400)
  })
})
