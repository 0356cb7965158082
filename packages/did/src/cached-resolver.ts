import { curveOf, ethereumAddressOf, fromHex } from '@clavis/crypto'
import type { DIDResolutionOptions, DIDResolutionResult, Resolvable } from 'did-resolver'
import { parseDidEthr } from './parse-did-ethr'

/** Changes in an ERC-1056 registry, read through whatever chain client the caller has. */
export interface RegistryChangeFeed {
  /** Latest block number. */
  latestBlock(): Promise<number>
  /**
   * Identity addresses (lower-case 0x…) changed in the registry in blocks [fromBlock, toBlock]
   * (DIDOwnerChanged, DIDDelegateChanged, DIDAttributeChanged events: topic[1]).
   */
  changedIdentities(options: { fromBlock: number; toBlock: number }): Promise<string[]>
}

export interface CachedResolverOptions {
  /** The resolver that does the work (e.g. `createEthrResolver`). */
  resolver: Resolvable
  /** Registry changes. Without it only `maxAgeMs` bounds how stale an answer can be. */
  feed?: RegistryChangeFeed
  /** Most results kept; the least recently used goes first. Default 10 000. */
  maxEntries?: number
  /**
   * Oldest result served, in ms. Default 60 000. Also bounds delegate and attribute expiry,
   * which emits no event.
   */
  maxAgeMs?: number
  /**
   * How long one `latestBlock` answer is trusted, in ms. Default 0: asked on every resolve
   * (concurrent resolves share one call). Above 0, a change made by someone else can go unseen
   * for this long; call `headMoved()` after a write of your own to see it at once.
   */
  headCheckIntervalMs?: number
}

export interface CachedResolverStats {
  hits: number
  misses: number
  size: number
  /** Entries dropped to stay within `maxEntries`. */
  evictions: number
  /** Entries dropped because the registry reported a change, or by `invalidate`. */
  invalidations: number
}

export interface CachedResolver extends Resolvable {
  resolve(didUrl: string, options?: DIDResolutionOptions): Promise<DIDResolutionResult>
  /**
   * A resolver for one verification (or one batch of them): its resolutions share one look at the
   * chain head, started now and taken after the verification began, so a change mined before it
   * began is seen by every resolution in it — one `latestBlock` call instead of one per DID, and
   * under way while the caller decodes. Ends nothing: drop it when the verification is done.
   */
  forVerification(): Resolvable
  /**
   * The chain changed (e.g. this process's own write was mined): the next resolution looks at a
   * head read after this call, whatever `headCheckIntervalMs` says.
   */
  headMoved(): void
  /** Forgets every cached result for a DID (fragment ignored). */
  invalidate(did: string): void
  /** Forgets everything. */
  clear(): void
  stats(): CachedResolverStats
}

/** How long after a registry change of an identity its documents are not cached (see `changedAt`). */
const SETTLE_MS = 2000

interface Entry {
  did: string
  identity: string | undefined
  storedAt: number
  result: DIDResolutionResult
}

/** A resolution under way; marked stale when a change for its DID is seen meanwhile. */
interface Pending {
  did: string
  identity: string | undefined
  stale: boolean
}

/**
 * A resolver that remembers results, shared by every verification in a process. Before answering
 * for a did:ethr it asks the feed for the chain head and drops every result whose identity changed
 * in the registry since the last look, so the next resolution after a change sees it. If the feed
 * fails, the resolution fails (`didResolutionMetadata.error: 'internalError'`): nothing is served
 * that might hide a change. Errors and DID URLs with a query (`?versionId=…`) are never cached.
 *
 * @example
 * const resolver = createCachedResolver({ resolver: createEthrResolver({ networks }), feed })
 * await resolver.resolve('did:ethr:0x7a69:0x03…') // chain calls
 * await resolver.resolve('did:ethr:0x7a69:0x03…') // one latestBlock call
 */
export function createCachedResolver(options: CachedResolverOptions): CachedResolver {
  const { resolver, feed } = options
  const maxEntries = options.maxEntries ?? 10_000
  const maxAgeMs = options.maxAgeMs ?? 60_000
  const headCheckIntervalMs = options.headCheckIntervalMs ?? 0
  if (typeof resolver?.resolve !== 'function')
    throw new TypeError('createCachedResolver: `resolver` must have a resolve function')
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1)
    throw new RangeError(`createCachedResolver: \`maxEntries\` must be a positive integer, got ${maxEntries}`)
  if (!Number.isFinite(maxAgeMs) || maxAgeMs < 0)
    throw new RangeError(`createCachedResolver: \`maxAgeMs\` must be ≥ 0, got ${maxAgeMs}`)
  if (!Number.isFinite(headCheckIntervalMs) || headCheckIntervalMs < 0)
    throw new RangeError(
      `createCachedResolver: \`headCheckIntervalMs\` must be ≥ 0, got ${headCheckIntervalMs}`,
    )

  const cache = new Map<string, Entry>()
  const pending = new Set<Pending>()
  // Registry times are whole seconds and ethr-did-resolver keeps an entry whose validTo equals the
  // current second: a document resolved just after a revocation may still show what was revoked.
  // Such a document is answered but not cached, so the revocation is seen a second later, not a
  // cache lifetime later.
  const changedAt = new Map<string, number>()
  const changedRecently = (identity: string | undefined) => {
    if (identity === undefined) return false
    const at = changedAt.get(identity)
    if (at === undefined) return false
    if (Date.now() - at < SETTLE_MS) return true
    changedAt.delete(identity)
    return false
  }
  const counts = { hits: 0, misses: 0, evictions: 0, invalidations: 0 }
  let lastScannedBlock: number | undefined
  let checkedAt = Number.NEGATIVE_INFINITY
  let syncing: Promise<void> | undefined
  /** Looks at the head are numbered as they start; the highest number that completed. */
  let scansStarted = 0
  let scannedUpTo = 0
  /** The registry identity of each did:ethr seen (a pure function of the DID; bounded). */
  const identities = new Map<string, string | undefined>()
  const identityFor = (did: string): string | undefined => {
    if (identities.has(did)) return identities.get(did)
    const identity = identityOf(did)
    if (identities.size >= maxEntries) identities.delete(identities.keys().next().value as string)
    identities.set(did, identity)
    return identity
  }

  const drop = (matches: (e: { did: string; identity: string | undefined }) => boolean) => {
    for (const [key, entry] of cache) {
      if (matches(entry)) {
        cache.delete(key)
        counts.invalidations++
      }
    }
    for (const p of pending) if (matches(p)) p.stale = true
  }

  const scan = async (): Promise<void> => {
    if (!feed) return
    const head = await feed.latestBlock()
    if (!Number.isSafeInteger(head) || head < 0)
      throw new Error(`the feed returned ${String(head)} as the latest block`)
    if (lastScannedBlock !== undefined && head < lastScannedBlock) {
      // The chain went back (reorg or reset): nothing cached can be trusted.
      drop(() => true)
    } else if (
      lastScannedBlock !== undefined &&
      head > lastScannedBlock &&
      (cache.size > 0 || pending.size > 0)
    ) {
      const changed = await feed.changedIdentities({ fromBlock: lastScannedBlock + 1, toBlock: head })
      const set = new Set(changed.map((a) => a.toLowerCase()))
      if (set.size > 0) drop((e) => e.identity !== undefined && set.has(e.identity))
      for (const identity of set) changedAt.set(identity, Date.now())
      if (changedAt.size > maxEntries) changedAt.delete(changedAt.keys().next().value as string)
    }
    lastScannedBlock = head
    checkedAt = Date.now()
  }

  /** Look number at `headMoved`: a look numbered above it must complete before the next answer. */
  let movedAt = 0

  /**
   * Brings the cache up to the chain head; concurrent callers share one run. Within
   * `headCheckIntervalMs` of the last look nothing is asked, unless `force`.
   */
  const sync = (force = false): Promise<void> => {
    if (!feed || (!force && Date.now() - checkedAt < headCheckIntervalMs)) return Promise.resolve()
    if (!syncing) {
      const id = ++scansStarted
      syncing = scan()
        .then(() => {
          scannedUpTo = Math.max(scannedUpTo, id)
        })
        .finally(() => {
          syncing = undefined
        })
    }
    return syncing
  }

  /**
   * Brings the cache up to a head looked at after look number `since` started: joins such a look
   * under way, or waits for an older one and starts another.
   */
  const syncAfter = async (since: number): Promise<void> => {
    if (headCheckIntervalMs > 0) {
      if (scannedUpTo > movedAt) return sync()
      since = movedAt
    }
    while (feed && scannedUpTo <= since) {
      if (syncing === undefined) await sync(true)
      else if (scansStarted > since) return syncing
      else await syncing.catch(() => undefined)
    }
  }

  const store = (key: string, entry: Entry) => {
    cache.set(key, entry)
    while (cache.size > maxEntries) {
      const oldest = cache.keys().next().value as string
      cache.delete(oldest)
      counts.evictions++
    }
  }

  const resolveAfter = async (
    didUrl: string,
    resolutionOptions: DIDResolutionOptions | undefined,
    fresh: () => Promise<void>,
  ): Promise<DIDResolutionResult> => {
    const key = cacheKey(didUrl, resolutionOptions)
    if (key === undefined) return resolver.resolve(didUrl, resolutionOptions)
    const did = withoutFragment(didUrl)
    const identity = identityFor(did)
    if (identity !== undefined) {
      try {
        await fresh()
      } catch (error) {
        return feedFailure(did, error)
      }
    }
    const hit = cache.get(key)
    if (hit && Date.now() - hit.storedAt < maxAgeMs) {
      cache.delete(key)
      cache.set(key, hit)
      counts.hits++
      return structuredClone(hit.result)
    }
    if (hit) cache.delete(key)
    counts.misses++
    const token: Pending = { did, identity, stale: false }
    pending.add(token)
    const storedAt = Date.now()
    let result: DIDResolutionResult
    try {
      result = await resolver.resolve(didUrl, resolutionOptions)
    } finally {
      pending.delete(token)
    }
    if (!token.stale && isCacheable(result) && !changedRecently(identity)) {
      const copy = cloneFrozen(result)
      if (copy) store(key, { did, identity, storedAt, result: copy })
    }
    return result
  }

  return {
    resolve: (didUrl, resolutionOptions) =>
      resolveAfter(didUrl, resolutionOptions, () =>
        headCheckIntervalMs > 0 && scannedUpTo <= movedAt ? syncAfter(movedAt) : sync(),
      ),
    forVerification() {
      const since = scansStarted
      // Start looking now, while the caller decodes; a failure is reported by the resolution.
      if (feed) syncAfter(since).catch(() => undefined)
      return { resolve: (didUrl, o) => resolveAfter(didUrl, o, () => syncAfter(since)) }
    },
    headMoved() {
      movedAt = scansStarted
    },
    invalidate(did) {
      const target = withoutFragment(did)
      drop((e) => e.did === target)
    },
    clear() {
      cache.clear()
      for (const p of pending) p.stale = true
    },
    stats() {
      return { ...counts, size: cache.size }
    },
  }
}

/** The cache key, or undefined when the request must not be cached (queries, odd options). */
function cacheKey(didUrl: string, options: DIDResolutionOptions | undefined): string | undefined {
  if (
    typeof didUrl !== 'string' ||
    !didUrl.startsWith('did:') ||
    didUrl.includes('?') ||
    didUrl.length > 2048
  )
    return undefined
  const did = withoutFragment(didUrl)
  const names = Object.keys(options ?? {})
    .filter((k) => options?.[k] !== undefined)
    .sort()
  if (names.length === 0) return did
  try {
    return `${did}\n${JSON.stringify(options, names)}`
  } catch {
    return undefined
  }
}

function withoutFragment(didUrl: string): string {
  const hash = didUrl.indexOf('#')
  return hash === -1 ? didUrl : didUrl.slice(0, hash)
}

/** The registry identity of a did:ethr: its address, or the address of its public key. */
function identityOf(did: string): string | undefined {
  const parsed = parseDidEthr(did)
  if (!parsed) return undefined
  if (parsed.kind === 'address') return parsed.identifier
  const bytes = fromHex(parsed.identifier)
  if (!bytes) return undefined
  try {
    const point = curveOf('ES256K').ProjectivePoint.fromHex(bytes)
    return ethereumAddressOf(point.toRawBytes(false))
  } catch {
    return undefined
  }
}

function isCacheable(result: DIDResolutionResult): boolean {
  return (
    typeof result === 'object' &&
    result !== null &&
    result.didResolutionMetadata?.error === undefined &&
    typeof result.didDocument === 'object' &&
    result.didDocument !== null
  )
}

function cloneFrozen<T>(value: T): T | undefined {
  let copy: T
  try {
    copy = structuredClone(value)
  } catch {
    return undefined
  }
  const freeze = (v: unknown) => {
    if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return
    Object.freeze(v)
    for (const child of Object.values(v)) freeze(child)
  }
  freeze(copy)
  return copy
}

function feedFailure(did: string, error: unknown): DIDResolutionResult {
  const reason = error instanceof Error ? error.message : String(error)
  return {
    didResolutionMetadata: {
      error: 'internalError',
      message: `Could not check the DID registry for changes to ${did}, so no cached or fresh answer is given: ${reason}. Check the chain RPC endpoint and retry.`,
    },
    didDocument: null,
    didDocumentMetadata: {},
  }
}
