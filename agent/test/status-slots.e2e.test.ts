import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCredentialWriter } from '../src/features/issuance/credential-writer'
import { IssuedCredentialEntity } from '../src/features/issuance/entities'
import { CLINICIAN_DID, inDays, licenceClaims, startTestAgent, type TestAgent } from './harness'

// Status indexes are random and never given out twice, also when issuing concurrently; the
// database's unique slot index is what decides, so two writers cannot both take one slot.

describe('status slots', () => {
  let t: TestAgent
  beforeAll(async () => {
    t = await startTestAgent()
  })
  afterAll(async () => {
    await t?.stop()
  })

  it('300 licences issued concurrently get 300 distinct random indexes in one list', async () => {
    const issue = () =>
      t.request('POST', `/v1/organisations/${t.board.id}/credentials`, {
        token: t.board.token,
        body: {
          type: 'ClinicianLicenseCredential',
          subject: CLINICIAN_DID,
          claims: licenceClaims(),
          validUntil: inDays(30),
        },
      })
    const results = await Promise.all(Array.from({ length: 300 }, issue))
    expect(results.every((r) => r.status === 201)).toBe(true)
    const rows = await t.agent.ctx.db
      .getRepository(IssuedCredentialEntity)
      .findBy({ organisationId: t.board.id })
    const slots = rows.map((r) => `${r.statusGroup}/${r.statusIndex}`)
    expect(new Set(slots).size).toBe(rows.length)
    // One list for all of them (a herd), however many first issuances raced to open it.
    expect(new Set(rows.map((r) => r.statusGroup)).size).toBe(1)
    const indexes = rows.map((r) => r.statusIndex!)
    // Random, not sequential: spread over the list, not packed at its start.
    expect(Math.max(...indexes)).toBeGreaterThan(65536)
    expect(indexes.some((i, k) => k > 0 && Math.abs(i - indexes[k - 1]!) > 1000)).toBe(true)
  })

  it('a second writer cannot take a slot that is already taken (alone or in a batch)', async () => {
    const repo = t.agent.ctx.db.getRepository(IssuedCredentialEntity)
    const [taken] = await repo.find({ where: { organisationId: t.board.id }, take: 1 })
    const other = createCredentialWriter(t.agent.ctx.db)
    const copy = { ...taken!, id: 'dup-1', jwt: 'x.y.z' }
    expect(await other.insert(copy)).toBe(false)
    // In one batch: the duplicate is refused, the free slot is taken.
    const used = new Set((await repo.findBy({ statusGroup: taken!.statusGroup! })).map((r) => r.statusIndex))
    const freeIndex = [...Array(131072).keys()].find((i) => !used.has(i))!
    const free = { ...taken!, id: 'free-1', jwt: 'x.y.free', statusIndex: freeIndex }
    const results = await Promise.all([other.insert({ ...copy, id: 'dup-2' }), other.insert(free)])
    expect(results).toEqual([false, true])
    expect(await repo.countBy({ id: 'dup-1' })).toBe(0)
  })
})
