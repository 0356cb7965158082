import type { BatchVerificationResponse } from '@clavis/api'
import { MAX_BATCH_CREDENTIALS } from '@clavis/api'
import { CliError } from '../errors'
import { printJson } from '../format'
import type { Session } from '../session'

/** Longest line taken as a credential (the API's limit for one JWT-VC). */
const MAX_CREDENTIAL_CHARS = 65_536
/** Requests stay under the agent's 4 MiB batch body limit; two are in flight, so the workers never wait. */
const MAX_REQUEST_CHARS = 3 * 1024 * 1024
const IN_FLIGHT = 2

type Result = BatchVerificationResponse['results'][number]

/** The credentials of a batch file: one compact JWT-VC per line; blank lines and `#` comments skipped. */
function credentialLines(text: string, file: string): { line: number; jwt: string }[] {
  const out: { line: number; jwt: string }[] = []
  text.split('\n').forEach((raw, i) => {
    const jwt = raw.trim()
    if (jwt === '' || jwt.startsWith('#')) return
    if (jwt.length > MAX_CREDENTIAL_CHARS)
      throw CliError.usage(
        `${file} line ${i + 1} has ${jwt.length} characters, more than a credential may have (${MAX_CREDENTIAL_CHARS}); fix that line.`,
      )
    out.push({ line: i + 1, jwt })
  })
  if (out.length === 0) throw CliError.usage(`${file} holds no credentials (one JWT-VC per line).`)
  return out
}

/** Consecutive slices of at most MAX_BATCH_CREDENTIALS credentials and MAX_REQUEST_CHARS characters. */
function slices<T extends { jwt: string }>(items: T[]): T[][] {
  const out: T[][] = []
  let current: T[] = []
  let chars = 0
  for (const item of items) {
    if (current.length === MAX_BATCH_CREDENTIALS || chars + item.jwt.length + 3 > MAX_REQUEST_CHARS) {
      out.push(current)
      current = []
      chars = 0
    }
    current.push(item)
    chars += item.jwt.length + 3
  }
  if (current.length > 0) out.push(current)
  return out
}

/** One progress line on stderr: rewritten in place on a terminal, one line per update otherwise. */
function progress(): { update(line: string): void; end(): void } {
  const tty = process.stderr.isTTY === true
  let shown = false
  return {
    update(line) {
      process.stderr.write(tty ? `\r${line}\u001b[K` : `${line}\n`)
      shown = true
    },
    end() {
      if (tty && shown) process.stderr.write('\n')
    },
  }
}

const firstFailure = (r: Result) => {
  for (const [name, check] of Object.entries(r.checks)) if (!check.passed) return { name, ...check }
  return undefined
}

/**
 * `clavis verify --batch FILE`: re-verifies every credential of FILE (one per line) against the
 * verifier's trust list on the agent's verification workers, a request of up to 1000 at a time, two
 * in flight; progress on stderr. Prints each credential that is not valid (line, type, issuer, the
 * check that failed) and a summary; exit 1 when any is not valid.
 *
 * @example
 * await verifyBatch(session, { file: 'licences.txt', verifier: hospitalId })
 */
export async function verifyBatch(s: Session, options: { file: string; verifier: string }): Promise<number> {
  const items = credentialLines(s.read(options.file, 'the batch file'), options.file)
  const api = s.staffApi({ credentials: options.file })
  const results: Result[] = new Array(items.length)
  const shown = progress()
  const started = performance.now()
  let done = 0
  let valid = 0
  const report = () => {
    const seconds = (performance.now() - started) / 1000
    const rate = seconds > 0 ? Math.round(done / seconds) : 0
    shown.update(
      `verified ${done}/${items.length}  ${valid} valid  ${done - valid} not valid  ${rate}/s  ${seconds.toFixed(1)} s`,
    )
  }
  const queue = slices(items.map((item, index) => ({ ...item, index })))
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const r = await api.verifyCredentialBatch({
        params: { id: options.verifier },
        body: { credentials: next.map((i) => i.jwt) },
      })
      next.forEach((item, i) => {
        results[item.index] = r.results[i]!
      })
      done += r.summary.total
      valid += r.summary.valid
      report()
    }
  }
  report()
  try {
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker))
  } finally {
    shown.end()
  }
  const seconds = (performance.now() - started) / 1000
  const summary = { total: items.length, valid, notValid: items.length - valid, seconds }
  if (s.json) {
    printJson({
      verifier: options.verifier,
      summary,
      results: results.map((r, i) => ({ line: items[i]!.line, ...r })),
    })
  } else {
    results.forEach((r, i) => {
      if (r.valid) return
      const failed = firstFailure(r)
      const what = [r.type, r.issuer].filter(Boolean).join(' from ')
      process.stdout.write(
        `line ${items[i]!.line}  NOT VALID${what ? `  ${what}` : ''}\n  ${failed?.name}: ${failed?.code}: ${failed?.reason}\n`,
      )
    })
    process.stdout.write(
      `${summary.total} credentials verified in ${seconds.toFixed(1)} s (${Math.round(summary.total / seconds)}/s): ${valid} valid, ${summary.notValid} not valid\n`,
    )
  }
  return summary.notValid === 0 ? 0 : 1
}
