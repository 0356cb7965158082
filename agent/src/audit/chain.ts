import { createHash } from 'node:crypto'

/**
 * The audit trail's hash chain (issue #12): each entry's hash covers the previous entry's hash, its
 * position and its content, so that changing, removing or reordering any entry breaks every hash
 * after it, and `verifyChain` says where. Pure: the store that appends entries (serialised, in the
 * database) and the anchoring of the head are separate.
 *
 * hash(n) = SHA-256( "clavis-audit-v1\n" ‖ hash(n−1) ‖ "\n" ‖ n ‖ "\n" ‖ data(n) ), hex, where
 * data(n) = JCS({ at, event }) is stored as it was hashed: verifying hashes the stored text and
 * never serialises again (a million entries in seconds). hash(0) is 64 zeros. JCS is RFC 8785
 * canonical JSON (sorted keys; ECMAScript number and string serialisation, which is JSON.stringify's
 * for the finite numbers and strings events hold).
 */

export const GENESIS_HASH = '0'.repeat(64)
const DOMAIN = 'clavis-audit-v1\n'

/** One entry as stored: `data` is the canonical JSON of `{ at, event }` (identifiers and codes only, see audit.ts). */
export interface ChainEntry {
  seq: number
  data: string
  prev: string
  hash: string
}

/** RFC 8785 canonical JSON of plain JSON data (objects with sorted keys, no undefined). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new TypeError('Audit data holds a non-finite number.')
    if (
      value === undefined ||
      typeof value === 'function' ||
      typeof value === 'bigint' ||
      typeof value === 'symbol'
    )
      throw new TypeError(`Audit data cannot hold ${typeof value}.`)
    return JSON.stringify(value)
  }
  if (Array.isArray(value))
    return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`
  const keys = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort(compareUtf16)
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`
}

/** RFC 8785 sorts keys by their UTF-16 code units, which is what `<` on strings compares. */
function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export function entryHash(prev: string, seq: number, data: string): string {
  return createHash('sha256').update(`${DOMAIN}${prev}\n${seq}\n${data}`).digest('hex')
}

/** The time and event an entry records. */
export function entryContent(entry: Pick<ChainEntry, 'data'>): {
  at: string
  event: Record<string, unknown>
} {
  return JSON.parse(entry.data) as { at: string; event: Record<string, unknown> }
}

/** The entry that follows `previous` (or starts the chain). */
export function nextEntry(
  previous: Pick<ChainEntry, 'seq' | 'hash'> | undefined,
  at: string,
  event: Record<string, unknown>,
): ChainEntry {
  const seq = previous ? previous.seq + 1 : 1
  const prev = previous ? previous.hash : GENESIS_HASH
  const data = canonicalJson({ at, event })
  return { seq, data, prev, hash: entryHash(prev, seq, data) }
}

/** What is wrong where, in words an operator can act on. */
export type ChainProblem =
  | { code: 'altered'; seq: number; message: string }
  | { code: 'missing'; seq: number; message: string }
  | { code: 'reordered'; seq: number; message: string }
  | { code: 'broken_link'; seq: number; message: string }
  | { code: 'head_mismatch'; seq: number; message: string }

export type ChainVerification =
  | { ok: true; count: number; head: string; lastSeq: number }
  | { ok: false; count: number; problem: ChainProblem }

/**
 * Checks entries in the order they are read (by `seq` as stored): every `seq` follows the one
 * before, every `prev` is the hash before, every hash matches its content. Stops at the first
 * problem and says where. With `expectHead` (a signed checkpoint's hash at its `seq`), a chain
 * rewritten from scratch — every hash consistent, but not the one published — is found too.
 */
export function verifyChain(
  entries: Iterable<ChainEntry>,
  options: { expectHead?: { seq: number; hash: string } } = {},
): ChainVerification {
  let expectedSeq = 1
  let prev = GENESIS_HASH
  let count = 0
  const fail = (problem: ChainProblem): ChainVerification => ({ ok: false, count, problem })
  const iterator = entries[Symbol.iterator]()
  for (let next = iterator.next(); !next.done; next = iterator.next()) {
    const e = next.value
    if (e.seq > expectedSeq) {
      // A gap: removed entries, unless the skipped ones turn up further on (moved).
      const first = expectedSeq
      const last = e.seq - 1
      for (let rest = iterator.next(); !rest.done; rest = iterator.next())
        if (rest.value.seq >= first && rest.value.seq <= last)
          return fail({
            code: 'reordered',
            seq: first,
            message: `Entry ${first} is out of place (it comes after entry ${e.seq}): entries were reordered.`,
          })
      return fail({
        code: 'missing',
        seq: first,
        message: `Entries ${first}${last > first ? `–${last}` : ''} are missing (the next stored entry is ${e.seq}).`,
      })
    }
    if (e.seq < expectedSeq)
      return fail({
        code: 'reordered',
        seq: e.seq,
        message: `Entry ${e.seq} appears again after entry ${expectedSeq - 1}: entries were reordered or copied.`,
      })
    if (e.prev !== prev)
      return fail({
        code: 'broken_link',
        seq: e.seq,
        message: `Entry ${e.seq} does not follow entry ${e.seq - 1} (its link to the hash before differs): an entry before it was replaced, or entries were reordered.`,
      })
    if (entryHash(e.prev, e.seq, e.data) !== e.hash)
      return fail({
        code: 'altered',
        seq: e.seq,
        message: `Entry ${e.seq} was altered: its content no longer matches its hash.`,
      })
    if (options.expectHead && e.seq === options.expectHead.seq && e.hash !== options.expectHead.hash)
      return fail({
        code: 'head_mismatch',
        seq: e.seq,
        message: `Entry ${e.seq} is not the one the signed checkpoint names: the log was rewritten up to there.`,
      })
    prev = e.hash
    expectedSeq = e.seq + 1
    count++
  }
  if (options.expectHead && options.expectHead.seq >= expectedSeq)
    return fail({
      code: 'missing',
      seq: expectedSeq,
      message: `The signed checkpoint names entry ${options.expectHead.seq}, but the log ends at ${expectedSeq - 1}: entries were removed from its end.`,
    })
  return { ok: true, count, head: prev, lastSeq: expectedSeq - 1 }
}
