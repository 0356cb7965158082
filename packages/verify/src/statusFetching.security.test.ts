import { beforeEach, describe, expect, it } from 'vitest'
import { makeIdentity } from '../test/kits/identities'
import {
  createScenario,
  licence,
  NOW as now,
  REVOCATION_URL,
  type Scenario,
  signVc,
  statusEntry,
} from '../test/kits/scenario'
import { createStatusChecker, type StatusListFetcher } from './statusChecker'
import { trustListPolicy } from './trustListPolicy'
import { verifyJwtCredential } from './verifyJwtCredential'

// SECURITY.md: nothing is fetched for a credential before its signature verified and its issuer is
// trusted; fetches are bounded per request; a public reason never carries network error text.

let scenario: Scenario

beforeEach(async () => {
  scenario = await createScenario()
})

const verify = (jwt: string, overrides: Partial<Parameters<typeof verifyJwtCredential>[0]> = {}) =>
  verifyJwtCredential({
    jwt,
    resolver: scenario.resolver,
    trust: scenario.trust,
    status: scenario.status,
    now,
    ...overrides,
  })

describe('status lists are fetched only for accepted credentials', () => {
  it('a trusted, correctly signed licence: its list is fetched', async () => {
    const result = await verify(await signVc(licence(scenario), scenario.board))
    expect(result.valid).toBe(true)
    expect(scenario.server.fetched).toEqual([REVOCATION_URL])
  })

  it('a licence signed by someone who claims to be the board: nothing is fetched', async () => {
    const forger = makeIdentity()
    const result = await verify(await signVc(licence(scenario), forger, scenario.board.did))
    expect(result.checks.signature.passed).toBe(false)
    expect(result.checks.status).toMatchObject({ passed: false, code: 'not_checked' })
    expect(scenario.server.fetched).toEqual([])
  })

  it('a licence from an issuer the verifier does not trust: nothing is fetched', async () => {
    const result = await verify(await signVc(licence(scenario), scenario.board), {
      trust: trustListPolicy([]),
    })
    expect(result.checks.issuerTrust).toMatchObject({ code: 'untrusted_issuer' })
    expect(result.checks.status).toMatchObject({ passed: false, code: 'not_checked' })
    expect(scenario.server.fetched).toEqual([])
  })

  it('an unsigned credential naming any URL: nothing is fetched', async () => {
    const jwt = await signVc(
      { ...licence(scenario), credentialStatus: statusEntry({ url: 'http://127.0.0.1:1/x' }) },
      scenario.board,
    )
    const [h, p] = jwt.split('.')
    const result = await verify(`${h}.${p}.`)
    expect(result.valid).toBe(false)
    expect(scenario.server.fetched).toEqual([])
  })
})

describe('fetch budget of one request', () => {
  const urls = ['https://a.example/1', 'https://b.example/2', 'https://c.example/3']
  const entry = (uri: string) => ({ status_list: { idx: 0, uri } })

  it('at most maxFetches lists are fetched; the rest are status_unknown without a fetch', async () => {
    const fetched: string[] = []
    const checker = createStatusChecker({
      resolver: scenario.resolver,
      fetchList: async (url) => {
        fetched.push(url)
        throw new Error('unreachable')
      },
    }).forRequest({ maxFetches: 2 })
    const results = []
    for (const uri of urls)
      results.push(await checker.checkToken({ issuer: scenario.board.did, status: entry(uri), now }))
    expect(fetched).toEqual(urls.slice(0, 2))
    expect(results.map((r) => !r.ok && r.error.code)).toEqual([
      'status_unknown',
      'status_unknown',
      'status_unknown',
    ])
    expect(!results[2]!.ok && results[2]!.error.reason).toMatch(/limit of status list fetches/)
  })

  it('checks that join a fetch under way spend none of the budget (a batch of one issuer’s credentials)', async () => {
    const fetched: string[] = []
    const checker = createStatusChecker({
      resolver: scenario.resolver,
      fetchList: async (url) => {
        fetched.push(url)
        await new Promise((resolve) => setTimeout(resolve, 20))
        return 'not a jwt'
      },
    }).forRequest({ maxFetches: 1 })
    const results = await Promise.all(
      [0, 1, 2].map(() => checker.checkToken({ issuer: scenario.board.did, status: entry(urls[0]!), now })),
    )
    expect(fetched).toEqual([urls[0]])
    expect(results.map((r) => !r.ok && r.error.code)).toEqual(Array(3).fill('status_list_invalid'))
  })

  it('a list that never answers holds the request no longer than the timeout, for every list of the request', async () => {
    const hang: StatusListFetcher = (_url, o) =>
      new Promise((_resolve, reject) =>
        o?.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
      )
    const checker = createStatusChecker({ resolver: scenario.resolver, fetchList: hang }).forRequest({
      timeoutMs: 150,
    })
    const started = Date.now()
    for (const uri of urls) {
      const r = await checker.checkToken({ issuer: scenario.board.did, status: entry(uri), now })
      expect(r).toMatchObject({ ok: false, error: { code: 'status_unknown' } })
    }
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('a request that joins another request’s slow fetch still ends at its own deadline', async () => {
    let release: (jwt: string) => void = () => {}
    const slow: StatusListFetcher = () => new Promise((resolve) => (release = resolve))
    const base = createStatusChecker({ resolver: scenario.resolver, fetchList: slow })
    const first = base.forRequest({ timeoutMs: 60_000 }).checkToken({
      issuer: scenario.board.did,
      status: entry(urls[0]!),
      now,
    })
    const started = Date.now()
    const second = await base
      .forRequest({ timeoutMs: 100 })
      .checkToken({ issuer: scenario.board.did, status: entry(urls[0]!), now })
    expect(second).toMatchObject({ ok: false, error: { code: 'status_unknown' } })
    expect(Date.now() - started).toBeLessThan(1000)
    release('not a jwt')
    expect(await first).toMatchObject({ ok: false, error: { code: 'status_list_invalid' } })
  })

  it('why a fetch failed goes to onFetchError, never into the reason', async () => {
    const seen: [string, string][] = []
    const checker = createStatusChecker({
      resolver: scenario.resolver,
      fetchList: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:1')
      },
      onFetchError: (url, e) => seen.push([url, (e as Error).message]),
    })
    const r = await checker.checkToken({ issuer: scenario.board.did, status: entry(urls[0]!), now })
    expect(!r.ok && r.error.reason).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/)
    expect(seen).toEqual([[urls[0], 'connect ECONNREFUSED 127.0.0.1:1']])
  })
})
