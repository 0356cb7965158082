import { parseBase64urlJson } from '@clavis/crypto'
import { signTokenStatusListJwt, TokenStatusList } from '@clavis/status'
import { describe, expect, it } from 'vitest'
import { ethrDocument, makeIdentity, memoryResolver, resolved, signRawJwt } from '../test/kits/identities'
import { createStatusServer, listSignerOf } from '../test/kits/status'
import { createStatusChecker } from './statusChecker'

const NOW = new Date('2030-06-01T12:00:00Z')
const MiB = 1024 * 1024

describe('status list cache memory (SECURITY.md: size limits; bad input never exhausts the verifier)', () => {
  // Its own time budget: it inflates 16 MiB nine times (about 2.5 s alone, several times that on a
  // loaded two-core machine running other suites), more than vitest's default 5 s allows.
  it('does not keep unbounded decompressed list bytes: 16 MiB lists (a few KiB on the wire) are evicted', async () => {
    // A trusted issuer (or one whose key was stolen) can name as many small lists as it likes;
    // each is fetched, decoded and cached.
    const attacker = makeIdentity()
    const resolver = memoryResolver({ [attacker.did]: resolved(ethrDocument(attacker)) })
    const server = createStatusServer()
    const list = TokenStatusList.create({ size: 16 * MiB, bits: 8 })
    const urls = Array.from({ length: 8 }, (_, i) => `https://attacker.example/lists/${i}`)
    const first = await signTokenStatusListJwt({
      ...listSignerOf(attacker),
      uri: urls[0]!,
      list,
      ttlSeconds: 3600,
      iat: new Date(NOW.getTime() - 60_000),
    })
    expect(first.length).toBeLessThan(64 * 1024)
    // Compressing 16 MiB takes a fifth of a second (more under load), so the other lists are the
    // first one's header and payload with their own `sub`, signed again: the same list bytes.
    const [header, payload] = first
      .split('.')
      .map((part) => parseBase64urlJson(part) as Record<string, unknown>)
    for (const url of urls) {
      const jwt =
        url === urls[0] ? first : await signRawJwt(header!, { ...payload, sub: url }, attacker.signer)
      server.serve(url, jwt)
    }
    const status = createStatusChecker({ fetchList: server.fetchList, resolver })
    for (const uri of urls) {
      const result = await status.checkToken({
        issuer: attacker.did,
        status: { status_list: { idx: 0, uri } },
        now: NOW,
      })
      expect(result.ok).toBe(true)
    }
    // 8 × 16 MiB = 128 MiB decoded; with 1000 cache entries that would be 16 GiB. The first list
    // must have been evicted by now, so checking it again fetches it again.
    await status.checkToken({
      issuer: attacker.did,
      status: { status_list: { idx: 0, uri: urls[0]! } },
      now: NOW,
    })
    expect(server.fetched.filter((u) => u === urls[0])).toHaveLength(2)
  }, 30_000)

  it('still caches ordinary lists (131,072 entries) across many URLs', async () => {
    const issuer = makeIdentity()
    const resolver = memoryResolver({ [issuer.did]: resolved(ethrDocument(issuer)) })
    const server = createStatusServer()
    const urls = Array.from({ length: 20 }, (_, i) => `https://issuer.example/lists/${i}`)
    for (const url of urls) {
      await server.publishToken({
        signer: listSignerOf(issuer),
        url,
        issuedAt: new Date(NOW.getTime() - 60_000),
      })
    }
    const status = createStatusChecker({ fetchList: server.fetchList, resolver })
    for (const round of [1, 2]) {
      for (const uri of urls) {
        const r = await status.checkToken({
          issuer: issuer.did,
          status: { status_list: { idx: 1, uri } },
          now: NOW,
        })
        expect(r.ok, `round ${round}`).toBe(true)
      }
    }
    expect(server.fetched).toHaveLength(urls.length)
  })
})
