import { type LookupAddress, lookup } from 'node:dns'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { BlockList, isIP, type LookupFunction } from 'node:net'
import type { StatusListFetcher } from '@clavis/verify'
import type { AgentContext } from '../context'
import { currentList, type ListName } from './lists'
import { uploadedList } from './uploaded'

const MAX_LIST_BYTES = 2 * 1024 * 1024
const FETCH_TIMEOUT_MS = 5000

/** Addresses a status list is never fetched from (IPv4 rules also match IPv4-mapped IPv6). */
const PRIVATE = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6')

function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip)
  if (family === 0) return true
  return PRIVATE.check(ip, family === 4 ? 'ipv4' : 'ipv6')
}

/**
 * A socket `lookup` that refuses private addresses: the address checked is the address connected
 * to (a second, unchecked resolution would let a rebinding DNS server point the request inward).
 */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0)
    if (addresses.length === 0 || addresses.some((a) => isPrivateAddress(a.address))) {
      return callback(new Error('the list host is a private address'), '', 0)
    }
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses)
    return callback(null, addresses[0]!.address, addresses[0]!.family)
  })
}

/** GET `url` without redirects, within the time limit, reading at most `MAX_LIST_BYTES`. */
function fetchText(url: URL, allowInsecure: boolean): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method: 'GET',
      headers: { accept: 'application/statuslist+jwt, application/vc+jwt, application/jwt' },
      ...(allowInsecure ? {} : { lookup: publicOnlyLookup }),
    })
    const timer = setTimeout(
      () => request.destroy(new Error(`no answer within ${FETCH_TIMEOUT_MS} ms`)),
      FETCH_TIMEOUT_MS,
    )
    const done = (error: Error | undefined, text?: string) => {
      clearTimeout(timer)
      if (error) reject(error)
      else resolve(text!)
    }
    request.on('error', (e) => done(e))
    request.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0
      if (status < 200 || status > 299) {
        request.destroy()
        return done(new Error(`HTTP ${status}`))
      }
      if (Number(res.headers['content-length'] ?? '0') > MAX_LIST_BYTES) {
        request.destroy()
        return done(new Error('the list is too large'))
      }
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > MAX_LIST_BYTES) {
          request.destroy()
          return done(new Error('the list is too large'))
        }
        chunks.push(chunk)
      })
      res.on('error', (e) => done(e))
      res.on('close', () => {
        if (!res.complete) done(new Error('the connection closed before the list was complete'))
      })
      res.on('end', () => done(undefined, Buffer.concat(chunks).toString('utf8')))
    })
    request.end()
  })
}

/**
 * The agent's status list fetcher. Lists this agent publishes are read in-process (no HTTP); other
 * lists are fetched over HTTPS only (HTTP and loopback only when `allowInsecure`, for development),
 * never from private addresses, without redirects, within 5 s and 2 MiB.
 *
 * @example
 * const fetchList = createListFetcher(ctx, { allowInsecure: ctx.chain.embedded })
 */
export function createListFetcher(ctx: AgentContext, options: { allowInsecure: boolean }): StatusListFetcher {
  const own = `${ctx.publicUrl}/v1/status-lists/`
  return async (url: string) => {
    if (url.startsWith(own)) {
      const rest = url.slice(own.length).split('/')
      if (rest[0] === 'dids' && rest.length === 3) return uploadedList(ctx, { did: rest[1]!, name: rest[2]! })
      if (rest.length === 2)
        return (await currentList(ctx, { groupId: rest[0]!, name: rest[1] as ListName })).jwt
      throw new Error('no such list here')
    }
    const u = new URL(url)
    if (u.protocol !== 'https:' && !(options.allowInsecure && u.protocol === 'http:')) {
      throw new Error(`only https status lists are fetched (${u.protocol})`)
    }
    const host = u.hostname.replace(/^\[|\]$/g, '')
    // IP literals are connected to without a lookup, so they are checked here; names at connect time.
    if (!options.allowInsecure && isIP(host) && isPrivateAddress(host))
      throw new Error('the list host is a private address')
    const text = await fetchText(u, options.allowInsecure)
    return text.trim()
  }
}
