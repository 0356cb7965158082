import { fail, ok } from '@clavis/crypto'
import {
  checkStatusListJwt,
  type DecodedStatusListJwt,
  decodeStatusListJwt,
  parseBitstringStatusEntry,
  parseTokenStatusEntry,
  TOKEN_STATUS,
} from '@clavis/status'
import type { Resolvable } from 'did-resolver'
import { assertionKeys, verifyWithDocumentKeys } from './documentKeys'
import { resolveIssuer } from './resolveIssuer'
import type { CheckOutcome } from './types'

/**
 * Checks a credential's status entries against its issuer's signed status lists. Call it only for a
 * credential whose signature verified and whose issuer the verifier trusts: it fetches the URLs
 * the credential names.
 */
export interface StatusChecker {
  /** JWT-VC: `credentialStatus` (W3C Bitstring Status List entries; a revocation entry is required). */
  checkBitstring(options: { issuer: string; credentialStatus: unknown; now: Date }): Promise<CheckOutcome>
  /** SD-JWT VC: `status` (IETF Token Status List reference; required). */
  checkToken(options: { issuer: string; status: unknown; now: Date }): Promise<CheckOutcome>
  /** Forgets cached lists (all, or one URL). */
  clear(url?: string): void
  /**
   * The same checker (and cache) with one fetch budget for a whole verification request: at most
   * `maxFetches` lists fetched, and none still running `timeoutMs` after the first began. Without
   * it, each check gets a budget of its own.
   */
  forRequest(budget?: FetchBudget): StatusChecker
}

/** How much fetching one verification request may cause. */
export interface FetchBudget {
  /** Most lists fetched (cache hits are free); default 8. */
  maxFetches?: number
  /** Time from the first fetch after which every fetch of the request is aborted; default 5000 ms. */
  timeoutMs?: number
}

/**
 * Fetches a status list (the signed JWT as text). Throws when it cannot; must stop when `signal`
 * aborts. What it throws is never shown to the caller of the verification (see `onFetchError`).
 */
export type StatusListFetcher = (url: string, options?: { signal?: AbortSignal }) => Promise<string>

interface CachedList {
  issuer: string
  decoded: DecodedStatusListJwt
  staleAt: number
  /** Decoded size of the list in bytes. */
  bytes: number
}

/** Most decoded list bytes kept in the cache (a list may decompress to 16 MiB from a few KiB). */
const DEFAULT_MAX_CACHED_BYTES = 64 * 1024 * 1024
const DEFAULT_MAX_FETCHES = 8
const DEFAULT_FETCH_TIMEOUT_MS = 5000

/** A request's fetch budget as it is spent. */
interface Spending {
  left: number
  signal: AbortSignal | undefined
  /** Settles when `signal` aborts: one listener for the whole request, however many checks wait. */
  aborted?: Promise<void>
  readonly timeoutMs: number
}

const spending = (budget: FetchBudget = {}): Spending => ({
  left: budget.maxFetches ?? DEFAULT_MAX_FETCHES,
  signal: undefined,
  timeoutMs: budget.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS,
})

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e))

/** Resolves to the promise's value, or to `aborted()` as soon as the request's signal aborts. */
function unlessAborted<T>(p: Promise<T>, budget: Spending, aborted: () => T): Promise<T> {
  const { signal } = budget
  if (!signal) return p
  if (signal.aborted) return Promise.resolve(aborted())
  budget.aborted ??= new Promise<void>((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  )
  return Promise.race([p, budget.aborted.then(aborted)])
}

/**
 * A status checker with a list cache shared by all verifications: each list is fetched once, its
 * signature checked against the credential issuer's current DID keys, and kept until its `ttl` (or
 * `exp`) runs out. Fails closed: a missing entry, an unreachable, stale, unsigned or foreign list,
 * or an index out of range make the credential not valid, with the reason. Fetching is bounded per
 * request ({@link StatusChecker.forRequest}); why a fetch failed goes to `onFetchError` (for the
 * log), never into the reason, which would make the verifier a probe of other hosts.
 *
 * @example
 * const status = createStatusChecker({ fetchList: (url) => fetchText(url), resolver })
 * await status.checkBitstring({ issuer, credentialStatus: vc.credentialStatus, now: new Date() })
 */
export function createStatusChecker(options: {
  fetchList: StatusListFetcher
  resolver: Resolvable
  maxEntries?: number
  /** Most decoded list bytes kept cached; default 64 MiB. */
  maxCachedBytes?: number
  clockSkewSeconds?: number
  /** Told why a fetch failed (network or HTTP detail that the public reason leaves out). */
  onFetchError?: (url: string, error: unknown) => void
}): StatusChecker {
  const maxEntries = options.maxEntries ?? 1000
  const maxCachedBytes = options.maxCachedBytes ?? DEFAULT_MAX_CACHED_BYTES
  const cache = new Map<string, CachedList>()
  let cachedBytes = 0
  const forget = (url: string) => {
    const entry = cache.get(url)
    if (!entry) return
    cachedBytes -= entry.bytes
    cache.delete(url)
  }
  const inFlight = new Map<string, Promise<CheckOutcome<CachedList>>>()

  async function load(
    url: string,
    issuer: string,
    now: Date,
    signal: AbortSignal,
  ): Promise<CheckOutcome<CachedList>> {
    let jwt: string
    try {
      jwt = await options.fetchList(url, { signal })
    } catch (e) {
      options.onFetchError?.(url, e)
      return fail('status_unknown', `The status list ${url} could not be fetched; status unknown.`)
    }
    let decoded: DecodedStatusListJwt
    try {
      decoded = decodeStatusListJwt(jwt)
    } catch (e) {
      return fail(
        'status_list_invalid',
        `The status list at ${url} is not a valid signed list: ${describe(e)}`,
      )
    }
    const checked = checkStatusListJwt({
      decoded,
      expectedIssuer: issuer,
      expectedUri: url,
      now,
      ...(options.clockSkewSeconds === undefined ? {} : { clockSkewSeconds: options.clockSkewSeconds }),
    })
    if (!checked.ok) {
      const { code, reason } = checked.error
      return fail(
        code === 'expired' || code === 'stale' ? 'status_unknown' : 'status_list_invalid',
        `The status list at ${url}: ${reason}`,
      )
    }
    const resolved = await resolveIssuer({ did: issuer, resolver: options.resolver })
    if (!resolved.ok) return fail('status_list_invalid', `The status list signer: ${resolved.error.reason}`)
    const alg = decoded.header.alg
    const keys = assertionKeys({ document: resolved.value, alg, kid: decoded.header.kid })
    const key = verifyWithDocumentKeys({
      keys,
      alg,
      data: decoded.signingInput,
      signature: decoded.signature,
    })
    if (!key) return fail('status_list_invalid', `The status list at ${url} is not signed by ${issuer}.`)
    const bytes = Math.ceil((decoded.size * decoded.bits) / 8)
    const entry = { issuer, decoded, staleAt: checked.value.staleAt.getTime(), bytes }
    forget(url)
    while (cache.size > 0 && (cache.size >= maxEntries || cachedBytes + bytes > maxCachedBytes))
      forget(cache.keys().next().value as string)
    if (bytes <= maxCachedBytes) {
      cache.set(url, entry)
      cachedBytes += bytes
    }
    return ok(entry)
  }

  async function listFor(
    url: string,
    issuer: string,
    now: Date,
    budget: Spending,
  ): Promise<CheckOutcome<CachedList>> {
    const hit = cache.get(url)
    if (hit && hit.issuer === issuer && now.getTime() < hit.staleAt) return ok(hit)
    // Joining a fetch already under way costs no budget: only fetches started count.
    const key = `${issuer} ${url}`
    let p = inFlight.get(key)
    if (!p && budget.left <= 0) {
      return fail(
        'status_unknown',
        `The status list ${url} was not fetched: this request reached its limit of status list fetches; status unknown.`,
      )
    }
    budget.signal ??= AbortSignal.timeout(budget.timeoutMs)
    const signal = budget.signal
    const late = () =>
      fail('status_unknown', `The status list ${url} could not be fetched in time; status unknown.`)
    if (!p) {
      budget.left--
      p = load(url, issuer, now, signal).finally(() => inFlight.delete(key))
      inFlight.set(key, p)
    }
    // Joining another request's fetch still ends at this request's own deadline.
    return unlessAborted(p, budget, late)
  }

  function read(list: CachedList, index: number, url: string): CheckOutcome<number> {
    try {
      return ok(list.decoded.read(index))
    } catch {
      return fail('status_unknown', `Index ${index} is outside the status list ${url}; status unknown.`)
    }
  }

  function checker(shared: Spending | undefined): StatusChecker {
    const budget = () => shared ?? spending()
    return {
      async checkBitstring({ issuer, credentialStatus, now }) {
        const spend = budget()
        const raw = Array.isArray(credentialStatus)
          ? credentialStatus
          : credentialStatus
            ? [credentialStatus]
            : []
        if (raw.length === 0) {
          return fail(
            'status_missing',
            'The credential has no status entry, so its revocation cannot be checked.',
          )
        }
        if (raw.length > 4) {
          return fail(
            'status_list_invalid',
            `The credential has ${raw.length} status entries; at most 4 are read.`,
          )
        }
        const entries = raw.map((e) => parseBitstringStatusEntry(e))
        if (entries.some((e) => e === undefined)) {
          return fail(
            'status_list_invalid',
            'A credentialStatus entry is not a valid BitstringStatusListEntry.',
          )
        }
        if (!entries.some((e) => e!.statusPurpose === 'revocation')) {
          return fail('status_missing', 'The credential has no revocation status entry.')
        }
        for (const entry of entries) {
          const url = entry!.statusListCredential
          const loaded = await listFor(url, issuer, now, spend)
          if (!loaded.ok) return loaded
          const list = loaded.value
          if (list.decoded.kind !== 'bitstring' || list.decoded.purpose !== entry!.statusPurpose) {
            return fail(
              'status_list_invalid',
              `${url} is not a ${entry!.statusPurpose} bitstring status list.`,
            )
          }
          const value = read(list, Number(entry!.statusListIndex), url)
          if (!value.ok) return value
          if (value.value !== 0) {
            return entry!.statusPurpose === 'revocation'
              ? fail(
                  'revoked',
                  `The issuer revoked this credential (${url}, index ${entry!.statusListIndex}).`,
                )
              : fail(
                  'suspended',
                  `The issuer suspended this credential (${url}, index ${entry!.statusListIndex}).`,
                )
          }
        }
        return ok()
      },

      async checkToken({ issuer, status, now }) {
        const entry = parseTokenStatusEntry(status)
        if (!status)
          return fail('status_missing', 'The credential has no status, so its revocation cannot be checked.')
        if (!entry)
          return fail('status_list_invalid', 'The credential status is not a valid status_list reference.')
        const url = entry.status_list.uri
        const loaded = await listFor(url, issuer, now, budget())
        if (!loaded.ok) return loaded
        if (loaded.value.decoded.kind !== 'token')
          return fail('status_list_invalid', `${url} is not a token status list.`)
        const bits = read(loaded.value, entry.status_list.idx, url)
        if (!bits.ok) return bits
        const value = bits.value
        if (value === TOKEN_STATUS.VALID) return ok()
        if (value === TOKEN_STATUS.SUSPENDED)
          return fail('suspended', `The issuer suspended this credential (${url}).`)
        return fail('revoked', `The issuer revoked this credential (${url}, status ${value}).`)
      },

      clear(url) {
        if (url) forget(url)
        else {
          cache.clear()
          cachedBytes = 0
        }
      },

      forRequest(b) {
        return checker(spending(b))
      },
    }
  }
  return checker(undefined)
}
