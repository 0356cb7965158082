import { base64urlJson } from '@clavis/crypto'
import { MIN_LIST_ENTRIES, tokenStatusEntry } from '@clavis/status'
import { beforeAll, describe, expect, it } from 'vitest'
import { deactivated, makeIdentity, memoryResolver } from '../test/kits/identities'
import {
  createScenario,
  GOOD_INDEX,
  LISTS_ISSUED_AT,
  NOW,
  REVOCATION_URL,
  REVOKED_INDEX,
  type Scenario,
  SUSPENDED_INDEX,
  SUSPENSION_URL,
  statusEntry,
  TOKEN_URL,
} from '../test/kits/scenario'
import {
  createStatusServer,
  listSignerOf,
  type StatusServer,
  signBitstringList,
  signTokenList,
} from '../test/kits/status'
import { createStatusChecker, type StatusChecker } from './statusChecker'

const MINUTE = 60_000
const at = (ms: number) => new Date(NOW.getTime() + ms)

let s: Scenario

beforeAll(async () => {
  s = await createScenario()
})

/** A checker with an empty cache over `server` (the scenario's lists by default). */
const checkerOf = (server: StatusServer = s.server, resolver = s.resolver) =>
  createStatusChecker({ fetchList: server.fetchList, resolver })

const checkBitstring = (
  credentialStatus: unknown,
  options: { checker?: StatusChecker; now?: Date; issuer?: string } = {},
) =>
  (options.checker ?? checkerOf()).checkBitstring({
    issuer: options.issuer ?? s.board.did,
    credentialStatus,
    now: options.now ?? NOW,
  })

const checkToken = (status: unknown, checker: StatusChecker = checkerOf()) =>
  checker.checkToken({ issuer: s.board.did, status, now: NOW })

/** A server serving `jwt` at `url`, and the revocation entry (index {@link GOOD_INDEX}) pointing at it. */
const serving = (url: string, jwt: string) => {
  const server = createStatusServer()
  server.serve(url, jwt)
  return { checker: checkerOf(server), entry: statusEntry({ url }) }
}

describe('createStatusChecker: bitstring status lists (JWT-VC)', () => {
  it('passes an entry whose bit is clear', async () => {
    expect(await checkBitstring(statusEntry())).toEqual({ ok: true, value: undefined })
  })

  it('refuses a revoked credential with revoked', async () => {
    const result = await checkBitstring(statusEntry({ index: REVOKED_INDEX }))
    expect(result).toMatchObject({ ok: false, error: { code: 'revoked' } })
    expect(!result.ok && result.error.reason).toContain(REVOCATION_URL)
  })

  it('refuses a suspended credential with suspended', async () => {
    const suspension = statusEntry({ url: SUSPENSION_URL, index: SUSPENDED_INDEX, purpose: 'suspension' })
    expect(await checkBitstring([statusEntry(), suspension])).toMatchObject({ error: { code: 'suspended' } })
  })

  it('passes a reinstated credential once the cached suspension list is stale', async () => {
    const url = 'https://board.example/status/suspension/2'
    const server = createStatusServer()
    const signer = listSignerOf(s.board)
    await server.publishBitstring({
      signer,
      url: REVOCATION_URL,
      issuedAt: LISTS_ISSUED_AT,
      ttlMs: 3_600_000,
    })
    await server.publishBitstring({ signer, url, purpose: 'suspension', set: [5], issuedAt: LISTS_ISSUED_AT })
    const checker = checkerOf(server)
    const entries = [statusEntry(), statusEntry({ url, index: 5, purpose: 'suspension' })]
    expect(await checkBitstring(entries, { checker })).toMatchObject({ error: { code: 'suspended' } })

    await server.publishBitstring({ signer, url, purpose: 'suspension', issuedAt: at(10 * MINUTE) })
    // The cached list (iat NOW − 1 min, ttl 5 min) still holds for a few minutes …
    expect(await checkBitstring(entries, { checker, now: at(2 * MINUTE) })).toMatchObject({
      error: { code: 'suspended' },
    })
    // … and once it is stale the re-signed list is fetched.
    expect(await checkBitstring(entries, { checker, now: at(11 * MINUTE) })).toEqual({
      ok: true,
      value: undefined,
    })
  })

  it('refuses a credential without credentialStatus with status_missing', async () => {
    expect(await checkBitstring(undefined)).toMatchObject({ error: { code: 'status_missing' } })
    expect(await checkBitstring([])).toMatchObject({ error: { code: 'status_missing' } })
    expect(await checkBitstring(Array.from({ length: 5 }, () => ({})))).toMatchObject({
      error: { code: 'status_list_invalid' },
    })
  })

  it('refuses a credential without a revocation entry with status_missing', async () => {
    const suspension = statusEntry({ url: SUSPENSION_URL, purpose: 'suspension' })
    expect(await checkBitstring([suspension])).toMatchObject({ error: { code: 'status_missing' } })
  })

  it('refuses a malformed entry with status_list_invalid', async () => {
    const entry = { ...statusEntry(), statusListIndex: 7 }
    expect(await checkBitstring(entry)).toMatchObject({ error: { code: 'status_list_invalid' } })
  })

  it('refuses a list issued and signed by another DID with status_list_invalid', async () => {
    const stranger = makeIdentity()
    const url = 'https://board.example/status/foreign'
    const jwt = await signBitstringList({ signer: listSignerOf(stranger), url, issuedAt: NOW })
    const { checker, entry } = serving(url, jwt)
    const result = await checkBitstring(entry, { checker })
    expect(result).toMatchObject({ error: { code: 'status_list_invalid' } })
    expect(!result.ok && result.error.reason).toContain('not issued by the credential issuer')
  })

  it('refuses a list naming the issuer but signed by another key with status_list_invalid', async () => {
    const stranger = makeIdentity()
    const url = 'https://board.example/status/forged'
    const signer = { ...listSignerOf(s.board), signer: stranger.signer }
    const { checker, entry } = serving(url, await signBitstringList({ signer, url, issuedAt: NOW }))
    const result = await checkBitstring(entry, { checker })
    expect(result).toMatchObject({ error: { code: 'status_list_invalid' } })
    expect(!result.ok && result.error.reason).toContain('not signed by')
  })

  it('refuses a tampered list (a revoked bit cleared) with status_list_invalid', async () => {
    const [header, , signature] = (await s.server.fetchList(REVOCATION_URL)).split('.')
    const clean = await signBitstringList({
      signer: listSignerOf(s.board),
      url: REVOCATION_URL,
      issuedAt: NOW,
    })
    const { checker } = serving(REVOCATION_URL, `${header}.${clean.split('.')[1]}.${signature}`)
    const result = await checkBitstring(statusEntry({ index: REVOKED_INDEX }), { checker })
    expect(result).toMatchObject({ error: { code: 'status_list_invalid' } })
  })

  it('refuses a list made for another URL with status_list_invalid', async () => {
    const signer = listSignerOf(s.board)
    const other = 'https://board.example/status/other'
    const { checker, entry } = serving(
      'https://board.example/status/here',
      await signBitstringList({ signer, url: other, issuedAt: NOW }),
    )
    const result = await checkBitstring(entry, { checker })
    expect(result).toMatchObject({ error: { code: 'status_list_invalid' } })
    expect(!result.ok && result.error.reason).toContain('different URL')
  })

  it('refuses a revocation entry pointing at a suspension list with status_list_invalid', async () => {
    const entry = statusEntry({ url: SUSPENSION_URL, purpose: 'revocation' })
    expect(await checkBitstring(entry)).toMatchObject({ error: { code: 'status_list_invalid' } })
  })

  it('reports a stale list (iat + ttl before now) as status_unknown', async () => {
    const url = 'https://board.example/status/stale'
    const jwt = await signBitstringList({ signer: listSignerOf(s.board), url, issuedAt: at(-60 * MINUTE) })
    const { checker, entry } = serving(url, jwt)
    const result = await checkBitstring(entry, { checker })
    expect(result).toMatchObject({ error: { code: 'status_unknown' } })
    expect(!result.ok && result.error.reason).toContain('older than its ttl')
  })

  it('reports a list signed in the future as status_list_invalid', async () => {
    const url = 'https://board.example/status/future'
    const jwt = await signBitstringList({ signer: listSignerOf(s.board), url, issuedAt: at(60 * MINUTE) })
    const { checker, entry } = serving(url, jwt)
    expect(await checkBitstring(entry, { checker })).toMatchObject({ error: { code: 'status_list_invalid' } })
  })

  it('reports an unreachable list as status_unknown, without the network error in the reason', async () => {
    const entry = statusEntry({ url: 'https://board.example/status/gone' })
    const result = await checkBitstring(entry)
    expect(result).toMatchObject({ error: { code: 'status_unknown' } })
    expect(!result.ok && result.error.reason).toBe(
      'The status list https://board.example/status/gone could not be fetched; status unknown.',
    )
  })

  it('reports an index outside the list as status_unknown', async () => {
    const result = await checkBitstring(statusEntry({ index: MIN_LIST_ENTRIES }))
    expect(result).toMatchObject({ error: { code: 'status_unknown' } })
    expect(!result.ok && result.error.reason).toContain(String(MIN_LIST_ENTRIES))
  })

  it("refuses a list when the issuer's DID is deactivated with status_list_invalid", async () => {
    const resolver = memoryResolver({ [s.board.did]: deactivated(s.board.did) })
    const checker = checkerOf(s.server, resolver)
    expect(await checkBitstring(statusEntry(), { checker })).toMatchObject({
      error: { code: 'status_list_invalid' },
    })
  })

  it("does not accept one issuer's list for another issuer's credential", async () => {
    const checker = checkerOf()
    expect(await checkBitstring(statusEntry(), { checker })).toEqual({ ok: true, value: undefined })
    const result = await checkBitstring(statusEntry(), { checker, issuer: s.patient.did })
    expect(result).toMatchObject({ error: { code: 'status_list_invalid' } })
  })

  it('refuses an alg none list with status_list_invalid', async () => {
    const [, payload] = (await s.server.fetchList(REVOCATION_URL)).split('.')
    const header = base64urlJson({ alg: 'none', typ: 'JWT', kid: `${s.board.did}#controller` })
    const { checker, entry } = serving(REVOCATION_URL, `${header}.${payload}.`)
    const result = await checkBitstring(entry, { checker })
    expect(result).toMatchObject({ error: { code: 'status_list_invalid' } })
  })
})

describe('createStatusChecker: token status lists (SD-JWT VC)', () => {
  it.each([
    ['VALID', GOOD_INDEX, { ok: true, value: undefined }],
    ['INVALID', REVOKED_INDEX, { ok: false, error: { code: 'revoked' } }],
    ['SUSPENDED', SUSPENDED_INDEX, { ok: false, error: { code: 'suspended' } }],
  ])('maps %s to %o', async (_, idx, expected) => {
    expect(await checkToken(tokenStatusEntry({ uri: TOKEN_URL, idx }))).toMatchObject(expected)
  })

  it('refuses a missing status with status_missing', async () => {
    expect(await checkToken(undefined)).toMatchObject({ error: { code: 'status_missing' } })
  })

  it('refuses a reference to a bitstring list with status_list_invalid', async () => {
    const status = tokenStatusEntry({ uri: REVOCATION_URL, idx: GOOD_INDEX })
    expect(await checkToken(status)).toMatchObject({ error: { code: 'status_list_invalid' } })
  })

  it('reports an index outside the token list as status_unknown', async () => {
    const status = tokenStatusEntry({ uri: TOKEN_URL, idx: MIN_LIST_ENTRIES })
    expect(await checkToken(status)).toMatchObject({ error: { code: 'status_unknown' } })
  })

  it('refuses a token list of another issuer with status_list_invalid', async () => {
    const url = 'https://board.example/status/token/foreign'
    const { checker } = serving(
      url,
      await signTokenList({ signer: listSignerOf(s.patient), url, issuedAt: NOW }),
    )
    const result = await checkToken(tokenStatusEntry({ uri: url, idx: 1 }), checker)
    expect(result).toMatchObject({ error: { code: 'status_list_invalid' } })
  })
})

describe('createStatusChecker: cache', () => {
  it('fetches a list once for two checks', async () => {
    const server = createStatusServer()
    server.serve(REVOCATION_URL, await s.server.fetchList(REVOCATION_URL))
    const checker = checkerOf(server)
    expect(await checkBitstring(statusEntry(), { checker })).toEqual({ ok: true, value: undefined })
    expect(await checkBitstring(statusEntry({ index: REVOKED_INDEX }), { checker })).toMatchObject({
      error: { code: 'revoked' },
    })
    expect(server.fetched).toEqual([REVOCATION_URL])
  })

  it('fetches a list once for concurrent checks', async () => {
    const server = createStatusServer()
    server.serve(REVOCATION_URL, await s.server.fetchList(REVOCATION_URL))
    const checker = checkerOf(server)
    const results = await Promise.all(
      [1, 2, 3].map((index) => checkBitstring(statusEntry({ index }), { checker })),
    )
    expect(results).toEqual([
      { ok: true, value: undefined },
      { ok: true, value: undefined },
      { ok: true, value: undefined },
    ])
    expect(server.fetched).toEqual([REVOCATION_URL])
  })

  it('fetches again after clear()', async () => {
    const server = createStatusServer()
    server.serve(REVOCATION_URL, await s.server.fetchList(REVOCATION_URL))
    const checker = checkerOf(server)
    await checkBitstring(statusEntry(), { checker })
    checker.clear(REVOCATION_URL)
    await checkBitstring(statusEntry(), { checker })
    expect(server.fetched).toEqual([REVOCATION_URL, REVOCATION_URL])
  })

  it('does not cache an unreachable list: the next check fetches again', async () => {
    const server = createStatusServer()
    const url = 'https://board.example/status/late'
    const checker = checkerOf(server)
    const entry = statusEntry({ url })
    expect(await checkBitstring(entry, { checker })).toMatchObject({ error: { code: 'status_unknown' } })
    await server.publishBitstring({ signer: listSignerOf(s.board), url, issuedAt: NOW })
    expect(await checkBitstring(entry, { checker })).toEqual({ ok: true, value: undefined })
  })
})
