import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import type { StatusListFetcher } from '@clavis/verify'
import type { AgentContext } from '../context'
import { currentList, type ListName } from './lists'
import { uploadedList } from './uploaded'

const MAX_LIST_BYTES = 2 * 1024 * 1024
const FETCH_TIMEOUT_MS = 5000

function isPrivateAddress(ip: string): boolean {
  if (ip === '::1' || ip.startsWith('127.') || ip === '0.0.0.0') return true
  if (/^(10\.|192\.168\.|169\.254\.|172\.(1[6-9]|2\d|3[01])\.)/.test(ip)) return true
  const v6 = ip.toLowerCase()
  return v6.startsWith('fc') || v6.startsWith('fd') || v6.startsWith('fe80') || v6.startsWith('::ffff:127.')
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
    const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address)
    if (!options.allowInsecure && addresses.some(isPrivateAddress))
      throw new Error('the list host is a private address')
    const res = await fetch(url, {
      redirect: 'error',
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      headers: { accept: 'application/statuslist+jwt, application/vc+jwt, application/jwt' },
    })
    if (!res.ok) throw new Error(`HTTP ${res.status}`)
    const length = Number(res.headers.get('content-length') ?? '0')
    if (length > MAX_LIST_BYTES) throw new Error('the list is too large')
    const text = await res.text()
    if (text.length > MAX_LIST_BYTES) throw new Error('the list is too large')
    return text.trim()
  }
}
