// What the fuzz test checks in each answer, and how it reports a run and its failures.
import { ERROR_STATUS } from '@clavis/api'
import { excerpt } from './text'

/** A request as sent, for the report. */
export interface Sent {
  method: string
  url: string
  who: string
  contentType: string | undefined
  body: string | undefined
  label: string
}

/** A bad answer: the request, what was wrong, the answer and the error behind it. */
export interface Failure extends Sent {
  op: string
  problem: string
  status: number | undefined
  response: string
  stack: string | undefined
}

/** What one operation got: requests sent and skipped, answers by status, time taken. */
export interface OperationRun {
  op: string
  sent: number
  skipped: number
  statuses: Record<number, number>
  ms: number
}

/**
 * What is wrong with an answer: any 5xx, and a 4xx whose body is not `{ code, message }` with a
 * code of ERROR_STATUS that maps to its status. Undefined when nothing is.
 *
 * @example
 * problemOf(500, '') // 'status 500'
 */
export function problemOf(status: number, text: string): string | undefined {
  if (status >= 500) return `status ${status}`
  if (status < 400) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = undefined
  }
  const p = parsed as { code?: unknown; message?: unknown } | undefined
  const code = typeof p?.code === 'string' ? p.code : undefined
  if (!p || typeof p !== 'object' || Array.isArray(p)) return '4xx body is not a JSON object'
  if (!code || !Object.hasOwn(ERROR_STATUS, code)) return '4xx code is not one of ERROR_STATUS'
  if (typeof p.message !== 'string' || p.message.length === 0) return '4xx without a message'
  const mapped = ERROR_STATUS[code as keyof typeof ERROR_STATUS]
  if (mapped !== status) return `4xx code ${code} maps to ${mapped}`
  return undefined
}

/** The run's summary line and one line per operation: requests, time, answers by status. */
export function runSummary(seed: number, perOp: OperationRun[], ms: number): string {
  const total = perOp.reduce((n, o) => n + o.sent, 0)
  const lines = perOp
    .map(
      (o) =>
        `  ${o.op.padEnd(62)} ${String(o.sent).padStart(3)} sent ${String(o.ms).padStart(6)} ms  ${Object.entries(
          o.statuses,
        )
          .map(([s, n]) => `${s}×${n}`)
          .join(' ')}`,
    )
    .join('\n')
  return `fuzz seed ${seed}: ${perOp.length} operations, ${total} requests in ${ms} ms\n${lines}`
}

/** The failures: the same fault behind many answers listed once on top, then every answer in full. */
export function failureReport(seed: number, failures: Failure[]): string {
  const report = failures
    .map(
      (f, n) =>
        `#${n + 1} ${f.problem} — ${f.op}\n` +
        `   ${f.method} ${excerpt(f.url, 200)} as ${f.who}\n` +
        `   mutation: ${f.label || '(none)'}; content-type: ${f.contentType ?? '(none)'}\n` +
        `   body: ${excerpt(f.body, 200)}\n` +
        `   answer ${f.status ?? '-'}: ${excerpt(f.response, 300)}` +
        (f.stack ? `\n   error: ${f.stack.replace(/\n/g, '\n     ')}` : ''),
    )
    .join('\n')
  const groups = new Map<string, number>()
  for (const f of failures) {
    const key = `${f.problem} — ${f.op} — ${excerpt(f.stack?.split('\n')[0] ?? f.response, 120)}`
    groups.set(key, (groups.get(key) ?? 0) + 1)
  }
  const grouped = [...groups].map(([key, n]) => `  ${String(n).padStart(4)}× ${key}`).join('\n')
  return `${failures.length} bad answers (seed ${seed}; rerun with CLAVIS_FUZZ_SEED=${seed}):\n${grouped}\n\n${report}`
}
