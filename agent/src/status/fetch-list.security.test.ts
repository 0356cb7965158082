import { createServer as createHttpServer, type Server } from 'node:http'
import { type AddressInfo, createServer as createTcpServer } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AgentContext } from '../context'
import { createListFetcher } from './fetch-list'

// The address check asks DNS; the connection must not ask again (DNS rebinding). This mock gives the
// check a public answer for every name, as a rebinding DNS server would the first time.
vi.mock('node:dns/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:dns/promises')>()
  return {
    ...real,
    lookup: vi.fn(async () => [{ address: '93.184.216.34', family: 4 }]),
  }
})

const ctx = { publicUrl: 'http://agent.invalid' } as unknown as AgentContext
const servers: Server[] = []
afterEach(async () => {
  for (const s of servers) (s as Partial<Server>).closeAllConnections?.()
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))))
})

describe('remote status list fetching (SECURITY.md: no private addresses, size and time limits)', () => {
  it.each([
    'https://[::ffff:7f00:1]/status/1', // 127.0.0.1, IPv4-mapped
    'https://[::ffff:a9fe:a9fe]/status/1', // 169.254.169.254 (cloud metadata), IPv4-mapped
    'https://[::ffff:a00:1]/status/1', // 10.0.0.1, IPv4-mapped
    'https://[::]/status/1', // unspecified = this host
    'https://0.1.2.3/status/1', // 0.0.0.0/8
    'https://100.64.0.1/status/1', // shared address space
  ])('refuses the private address literal %s', async (url) => {
    const fetchList = createListFetcher(ctx, { allowInsecure: false })
    await expect(fetchList(url)).rejects.toThrow(/private address/)
  })

  it('connects only to the address it checked (no second, unchecked DNS resolution)', async () => {
    let connections = 0
    const server = createTcpServer((socket) => {
      connections++
      socket.destroy()
    })
    servers.push(server as unknown as Server)
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const { port } = server.address() as AddressInfo
    const fetchList = createListFetcher(ctx, { allowInsecure: false })
    // `localhost` is checked as public by the (mocked) first lookup but really is 127.0.0.1.
    await expect(fetchList(`https://localhost:${port}/status/1`)).rejects.toThrow()
    expect(connections).toBe(0)
  })

  it('stops reading a body without content-length as soon as it passes the size limit', async () => {
    const server = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/statuslist+jwt' })
      // 3 MiB at once, then the connection stays open: a reader without a byte cap waits for the end.
      res.write('a'.repeat(3 * 1024 * 1024))
    })
    servers.push(server)
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const { port } = server.address() as AddressInfo
    const fetchList = createListFetcher(ctx, { allowInsecure: true })
    const started = Date.now()
    await expect(fetchList(`http://127.0.0.1:${port}/status/1`)).rejects.toThrow(/too large/)
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('still fetches a small list, and refuses redirects', async () => {
    const server = createHttpServer((req, res) => {
      if (req.url === '/moved') {
        res.writeHead(302, { location: '/status/1' })
        return res.end()
      }
      res.writeHead(200, { 'content-type': 'application/statuslist+jwt' })
      res.end(' a.b.c\n')
    })
    servers.push(server)
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const { port } = server.address() as AddressInfo
    const fetchList = createListFetcher(ctx, { allowInsecure: true })
    await expect(fetchList(`http://127.0.0.1:${port}/status/1`)).resolves.toBe('a.b.c')
    await expect(fetchList(`http://127.0.0.1:${port}/moved`)).rejects.toThrow(/HTTP 302/)
  })
})
