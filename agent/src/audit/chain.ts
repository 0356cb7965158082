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
 * Checks entries as they are read (by `seq` as stored), one batch after another, so that a log
 * of millions never sits in memory: every `seq` follows the one before, every `prev` is the hash
 * before, every hash matches its content. Stops at the first problem and says where. `expectHeads`
 * (signed checkpoints: the hash at a `seq`) turns a log rewritten from scratch — every hash
 * consistent, but not the one published — or cut short into a finding too.
 *
 * @example
 * const v = new ChainVerifier({ expectHeads: [{ seq: 1000, hash }] })
 * for (const batch of batches) if (!v.push(batch)) break
 * const result = v.finish()
 */
export class ChainVerifier {
  private expectedSeq = 1
  private prev = GENESIS_HASH
  private count = 0
  private problem: ChainProblem | undefined
  /** A gap seen: missing, unless a skipped entry turns up further on (moved). */
  private gap: { first: number; last: number; next: number } | undefined
  private readonly heads: Map<number, string>
  private readonly lastHead: number

  constructor(options: { expectHeads?: readonly { seq: number; hash: string }[] } = {}) {
    this.heads = new Map((options.expectHeads ?? []).map((h) => [h.seq, h.hash]))
    this.lastHead = Math.max(0, ...this.heads.keys())
  }

  /** Checks the next entries; false once a problem was found (push no more). */
  push(entries: Iterable<ChainEntry>): boolean {
    for (const e of entries) {
      if (this.problem) return false
      if (this.gap) {
        if (e.seq >= this.gap.first && e.seq <= this.gap.last)
          this.problem = {
            code: 'reordered',
            seq: this.gap.first,
            message: `Entry ${this.gap.first} is out of place (it comes after entry ${this.gap.next}): entries were reordered.`,
          }
        continue
      }
      this.check(e)
    }
    return !this.problem
  }

  private check(e: ChainEntry): void {
    if (e.seq > this.expectedSeq) {
      this.gap = { first: this.expectedSeq, last: e.seq - 1, next: e.seq }
      return
    }
    if (e.seq < this.expectedSeq) {
      this.problem = {
        code: 'reordered',
        seq: e.seq,
        message: `Entry ${e.seq} appears again after entry ${this.expectedSeq - 1}: entries were reordered or copied.`,
      }
      return
    }
    if (e.prev !== this.prev) {
      this.problem = {
        code: 'broken_link',
        seq: e.seq,
        message: `Entry ${e.seq} does not follow entry ${e.seq - 1} (its link to the hash before differs): an entry before it was replaced, or entries were reordered.`,
      }
      return
    }
    if (entryHash(e.prev, e.seq, e.data) !== e.hash) {
      this.problem = {
        code: 'altered',
        seq: e.seq,
        message: `Entry ${e.seq} was altered: its content no longer matches its hash.`,
      }
      return
    }
    const head = this.heads.get(e.seq)
    if (head !== undefined && head !== e.hash) {
      this.problem = {
        code: 'head_mismatch',
        seq: e.seq,
        message: `Entry ${e.seq} is not the one the signed checkpoint names: the log was rewritten up to there.`,
      }
      return
    }
    this.prev = e.hash
    this.expectedSeq = e.seq + 1
    this.count++
  }

  /** The verdict once every entry was pushed. */
  finish(): ChainVerification {
    const fail = (problem: ChainProblem): ChainVerification => ({ ok: false, count: this.count, problem })
    if (this.problem) return fail(this.problem)
    if (this.gap) {
      const { first, last, next } = this.gap
      return fail({
        code: 'missing',
        seq: first,
        message: `Entries ${first}${last > first ? `–${last}` : ''} are missing (the next stored entry is ${next}).`,
      })
    }
    if (this.lastHead >= this.expectedSeq)
      return fail({
        code: 'missing',
        seq: this.expectedSeq,
        message: `A signed checkpoint names entry ${this.lastHead}, but the log ends at ${this.expectedSeq - 1}: entries were removed from its end.`,
      })
    return { ok: true, count: this.count, head: this.prev, lastSeq: this.expectedSeq - 1 }
  }
}

/** {@link ChainVerifier} over entries already in hand. */
export function verifyChain(
  entries: Iterable<ChainEntry>,
  options: { expectHead?: { seq: number; hash: string } } = {},
): ChainVerification {
  const verifier = new ChainVerifier({ expectHeads: options.expectHead ? [options.expectHead] : [] })
  verifier.push(entries)
  return verifier.finish()
}
