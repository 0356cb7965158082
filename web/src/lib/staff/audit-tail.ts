/**
 * The newest entries of an audit trail, read through an API that pages oldest first
 * (`GET …/audit?after=<seq>&limit=<n>`, keyset on `seq`), optionally filtered by kind or patient.
 *
 * The desk shows the trail newest first without reading all of it: a page that is full and still
 * inside the wanted range means newer entries may follow, so the range is split and its newer half
 * read first (galloping past the end when the range is open). That is a few requests of at most
 * `limit` entries each, however long the trail is and however sparse a filter makes it: the newest
 * 50 of a thousand entries take 4 requests, of a million 29; the next older 50, 3 and 12.
 */

/** One entry as the API answers it; only `seq` matters here. */
export interface Sequenced {
  seq: number
}

/** One page of the trail after `after`, oldest first, as `listAudit` answers (filters applied by the caller). */
export type ReadAuditPage<E extends Sequenced> = (page: {
  after: number
  limit: number
}) => Promise<{ entries: E[]; next?: number | undefined }>

/** The newest entries read, newest first, and whether older ones (matching the same filters) remain. */
export interface NewestEntries<E extends Sequenced> {
  entries: E[]
  older: boolean
}

/** More requests than a trail of any realistic length needs: the API answered out of order. */
export class TrailPagingError extends Error {
  readonly code = 'trail_paging'
  constructor() {
    super(
      'The audit trail could not be paged (the agent answered out of order). Reload the desk and try again.',
    )
  }
}

/**
 * The `count` newest entries with `seq` below `before` (all the trail when `before` is absent),
 * newest first.
 *
 * @example
 * const read: ReadAuditPage<AuditEntry> = (page) => api.listAudit({ params: { id }, query: { ...page, kind } })
 * const { entries, older } = await readNewest({ read, count: 50 })
 * const next = await readNewest({ read, count: 50, before: entries.at(-1)!.seq })
 */
export async function readNewest<E extends Sequenced>(o: {
  read: ReadAuditPage<E>
  count: number
  before?: number | undefined
  /** Entries asked for in one request (default 250, at most 1000, the API's limit). */
  limit?: number
  /** Requests allowed before giving up with {@link TrailPagingError} (default 100). */
  maxRequests?: number
}): Promise<NewestEntries<E>> {
  const hi = o.before === undefined ? Number.POSITIVE_INFINITY : o.before - 1
  if (o.count < 1 || hi < 1) return { entries: [], older: false }
  const limit = Math.min(1000, Math.max(o.count, o.limit ?? 250))
  let budget = o.maxRequests ?? 100
  const read = async (after: number) => {
    if (--budget < 0) throw new TrailPagingError()
    return o.read({ after, limit })
  }

  /** The `need` newest entries of (lo, hi], oldest first, and whether that range holds more. */
  async function newestIn(lo: number, hi: number, need: number): Promise<{ entries: E[]; more: boolean }> {
    const page = await read(lo)
    if (page.entries.some((e, i) => e.seq <= (i === 0 ? lo : page.entries[i - 1]!.seq)))
      throw new TrailPagingError()
    const inRange = page.entries.filter((e) => e.seq <= hi)
    const last = inRange.at(-1)?.seq
    if (last === undefined || page.next === undefined || inRange.length < page.entries.length || last >= hi)
      return { entries: inRange.slice(-need), more: inRange.length > need }
    // A full page inside the range: newer entries may follow in (last, hi].
    let newer: { entries: E[]; more: boolean }
    if (Number.isFinite(hi) && hi - last <= limit) {
      newer = await newestIn(last, hi, need)
    } else {
      // Open range: gallop (the position doubles) until past the end, then split what is left.
      const mid = Number.isFinite(hi) ? Math.floor((last + hi) / 2) : 2 * last + limit
      const upper = await newestIn(mid, hi, need)
      if (upper.entries.length >= need) return { entries: upper.entries, more: true }
      const lower = await newestIn(last, mid, need - upper.entries.length)
      newer = { entries: [...lower.entries, ...upper.entries], more: lower.more }
    }
    const all = [...inRange, ...newer.entries]
    return { entries: all.slice(-need), more: newer.more || all.length > need }
  }

  const found = await newestIn(0, hi, o.count)
  return { entries: found.entries.reverse(), older: found.more }
}
