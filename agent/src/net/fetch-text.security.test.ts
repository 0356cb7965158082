import { createServer as createHttpServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createListFetcher } from '../features/status/fetch-list'
import { isPublicAddress } from './address-policy'
import { fetchText } from './fetch-text'

/** This agent's own lists are never fetched over the network; none are read in these tests. */
const own = {
  publicUrl: 'http://agent.invalid',
  readOwn: async (): Promise<string> => {
    throw new Error('no own list is read here')
  },
}
const servers: Server[] = []
afterEach(async () => {
  for (const s of servers) s.closeAllConnections()
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))))
})

async function listen(handler: Parameters<typeof createHttpServer>[1]): Promise<number> {
  const server = createHttpServer(handler)
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return (server.address() as AddressInfo).port
}

describe('outbound status list fetches refuse every non-public address, in every mode', () => {
  // Every spelling of this host the review tried, plus the private ranges around it.
  const hosts = [
    '127.0.0.1',
    '127.1',
    '2130706433',
    '0x7f000001',
    '0177.0.0.1',
    '[::1]',
    '[::ffff:7f00:1]',
    '[0:0:0:0:0:ffff:7f00:1]',
    '[::ffff:127.0.0.1]',
    '[::7f00:1]',
    '0.0.0.0',
    '[::]',
    'localhost',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '[::ffff:a9fe:a9fe]',
    '100.64.0.1',
    '[fd00::1]',
    '[fe80::1]',
    '224.0.0.1',
    '[64:ff9b::7f00:1]',
    '[2002:7f00:1::]',
  ]
  for (const allowInsecure of [false, true]) {
    it.each(hosts)(`refuses %s (allowInsecure ${allowInsecure})`, async (host) => {
      const port = await listen((_req, res) => res.end('a.b.c'))
      const fetchList = createListFetcher({ ...own, allowInsecure })
      for (const scheme of ['http', 'https']) {
        await expect(fetchList(`${scheme}://${host}:${port}/status/1`)).rejects.toThrow(
          /refused address|not a public address|only https/,
        )
      }
    })
  }

  it('knows public addresses from private ones', () => {
    expect(isPublicAddress('93.184.216.34')).toBe(true)
    expect(isPublicAddress('2606:2800:220:1:248:1893:25c8:1946')).toBe(true)
    for (const ip of ['127.0.0.1', '::1', '::ffff:7f00:1', '10.1.2.3', 'fe80::1', 'not-an-ip'])
      expect(isPublicAddress(ip), ip).toBe(false)
  })

  it('refuses URLs with credentials and other schemes', async () => {
    const fetchList = createListFetcher({ ...own, allowInsecure: true })
    await expect(fetchList('https://user:pw@example.org/x')).rejects.toThrow(/credentials/)
    await expect(fetchList('file:///etc/passwd')).rejects.toThrow(/only https/)
    await expect(fetchList('ftp://example.org/x')).rejects.toThrow(/only https/)
  })
})

describe('fetchText: size, time and redirect limits', () => {
  const options = { timeoutMs: 2000, maxBytes: 2 * 1024 * 1024, accept: 'application/statuslist+jwt' }

  it('stops reading a body without content-length as soon as it passes the size limit', async () => {
    // 3 MiB at once, then the connection stays open: a reader without a byte cap waits for the end.
    const port = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/statuslist+jwt' })
      res.write('a'.repeat(3 * 1024 * 1024))
    })
    const started = Date.now()
    await expect(fetchText(new URL(`http://127.0.0.1:${port}/`), options)).rejects.toThrow(/too large/)
    expect(Date.now() - started).toBeLessThan(1500)
  })

  it('refuses a declared length over the limit without reading it', async () => {
    const port = await listen((_req, res) => {
      res.writeHead(200, { 'content-length': String(3 * 1024 * 1024) })
      res.write('a')
    })
    await expect(fetchText(new URL(`http://127.0.0.1:${port}/`), options)).rejects.toThrow(/too large/)
  })

  it('fetches a small body, and refuses redirects', async () => {
    const port = await listen((req, res) => {
      if (req.url === '/moved') {
        res.writeHead(302, { location: '/status/1' })
        return res.end()
      }
      res.end('a.b.c')
    })
    await expect(fetchText(new URL(`http://127.0.0.1:${port}/status/1`), options)).resolves.toBe('a.b.c')
    await expect(fetchText(new URL(`http://127.0.0.1:${port}/moved`), options)).rejects.toThrow(/HTTP 302/)
  })

  it('a server that never answers is given up at the timeout, or at once when the signal aborts', async () => {
    const port = await listen(() => {})
    let started = Date.now()
    await expect(
      fetchText(new URL(`http://127.0.0.1:${port}/`), { ...options, timeoutMs: 200 }),
    ).rejects.toThrow(/no answer within 200 ms/)
    expect(Date.now() - started).toBeLessThan(1000)
    started = Date.now()
    await expect(
      fetchText(new URL(`http://127.0.0.1:${port}/`), { ...options, signal: AbortSignal.timeout(100) }),
    ).rejects.toThrow(/aborted/)
    expect(Date.now() - started).toBeLessThan(1000)
  })
})
