import { MAX_STATUS_LIST_JWT_LENGTH } from '@clavis/crypto'
import type { StatusListFetcher } from '@clavis/verify'
import type { AgentContext } from '../../context'
import { assertPublicHost, publicOnlyLookup } from '../../net/address-policy'
import { fetchText } from '../../net/fetch-text'
import { createKeyedLimit } from '../../util/keyed-limit'
import { isListName } from './groups'
import { currentList } from './lists'
import { uploadedList } from './uploaded'

const FETCH_TIMEOUT_MS = 5000
/** Concurrent fetches from one origin, and from all origins together, for the whole process. */
const PER_ORIGIN = 2
const TOTAL = 16
const ACCEPT = 'application/statuslist+jwt, application/vc+jwt, application/jwt'

/**
 * The agent's status list fetcher. Lists this agent publishes are read in-process (no HTTP, so
 * never over loopback); other lists are fetched over HTTPS (plain HTTP too when `allowInsecure`,
 * for development), and never from a loopback, private, link-local, multicast or reserved address
 * in any mode, however the address is spelled or whatever a name resolves to. No redirects; 5 s
 * and 2 MiB per list; at most 2 fetches at a time per origin and 16 in all, waiting within the
 * request's deadline.
 *
 * @example
 * const fetchList = createListFetcher({ publicUrl, readOwn: (path) => readOwnList(ctx, path), allowInsecure: true })
 */
export function createListFetcher(options: {
  /** Where this agent publishes its lists. */
  publicUrl: string
  /** Reads one of this agent's lists (`<group>/<name>` or `dids/<did>/<name>`) in-process. */
  readOwn: (path: string) => Promise<string>
  /** Plain HTTP too (development chains); never loopback or private addresses either way. */
  allowInsecure: boolean
}): StatusListFetcher {
  const own = `${options.publicUrl}/v1/status-lists/`
  const limit = createKeyedLimit({ perKey: PER_ORIGIN, total: TOTAL })
  return async (url, o) => {
    if (url.startsWith(own)) return options.readOwn(url.slice(own.length))
    const u = new URL(url)
    if (u.protocol !== 'https:' && !(options.allowInsecure && u.protocol === 'http:')) {
      throw new Error(`only https status lists are fetched (${u.protocol})`)
    }
    if (u.username || u.password) throw new Error('a status list URL carries no credentials')
    assertPublicHost(u)
    const release = await limit.acquire(u.origin, o?.signal)
    try {
      const text = await fetchText(u, {
        signal: o?.signal,
        timeoutMs: FETCH_TIMEOUT_MS,
        maxBytes: MAX_STATUS_LIST_JWT_LENGTH,
        accept: ACCEPT,
        lookup: publicOnlyLookup,
      })
      return text.trim()
    } finally {
      release()
    }
  }
}

/** One of this agent's own lists, by the path after `/v1/status-lists/`. */
export async function readOwnList(ctx: AgentContext, path: string): Promise<string> {
  const rest = path.split('/')
  if (rest[0] === 'dids' && rest.length === 3)
    return (await uploadedList(ctx, { did: rest[1]!, name: rest[2]! })).jwt
  if (rest.length === 2 && isListName(rest[1]!))
    return (await currentList(ctx, { groupId: rest[0]!, name: rest[1] })).jwt
  throw new Error('no such list here')
}
