// A verification worker (one per core, started by batch-pool.ts): verifies chunks of JWT-VCs with
// @clavis/verify exactly as a single verification does, on this thread's CPU. DID resolution and
// status checks are asked of the agent's thread, whose caches (block-aware DID cache, status lists)
// stay the only ones; the questions of a chunk asked in the same turn travel as one message.
import { parentPort } from 'node:worker_threads'
import {
  type CheckOutcome,
  type StatusChecker,
  trustListPolicy,
  type VerificationResult,
  verifyJwtCredential,
} from '@clavis/verify'
import type { DIDResolutionResult, Resolvable } from 'did-resolver'
import type { FromWorker, Question, ToWorker } from './batch-messages'

const port = parentPort
if (!port) throw new Error('batch-worker.ts runs as a worker thread (see batch-pool.ts)')

type Unplaced<Q> = Q extends Question ? Omit<Q, 'call'> : never

let nextCall = 0
const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>()

/** Asks the agent's thread; the questions of one chunk asked in one turn leave together. */
function asker(chunk: number) {
  let outbox: Question[] = []
  const flush = () => {
    port!.postMessage({ kind: 'questions', chunk, questions: outbox } satisfies FromWorker)
    outbox = []
  }
  return <T>(question: Unplaced<Question>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const call = nextCall++
      waiting.set(call, { resolve: resolve as (value: unknown) => void, reject })
      if (outbox.length === 0) setImmediate(flush)
      outbox.push({ ...question, call } as Question)
    })
}

async function verifyChunk(m: ToWorker & { kind: 'verify' }): Promise<void> {
  const { chunk } = m
  const ask = asker(chunk)
  // One resolution per DID per chunk (the agent's thread resolves each DID once per batch anyway).
  const resolutions = new Map<string, Promise<DIDResolutionResult>>()
  const resolver: Resolvable = {
    resolve: (didUrl, options) => {
      const key = `${didUrl}\n${JSON.stringify(options ?? {})}`
      let answer = resolutions.get(key)
      if (!answer) {
        answer = ask<DIDResolutionResult>({ kind: 'resolve', didUrl, options: { ...options } })
        resolutions.set(key, answer)
      }
      return answer.then((r) => structuredClone(r))
    },
  }
  const status: StatusChecker = {
    checkBitstring: (o) =>
      ask<CheckOutcome>({
        kind: 'status',
        method: 'checkBitstring',
        issuer: o.issuer,
        entry: o.credentialStatus,
        now: o.now.getTime(),
      }),
    checkToken: (o) =>
      ask<CheckOutcome>({
        kind: 'status',
        method: 'checkToken',
        issuer: o.issuer,
        entry: o.status,
        now: o.now.getTime(),
      }),
    clear: () => {},
    forRequest: () => status,
  }
  const trust = trustListPolicy(m.trust)
  const now = new Date(m.now)
  try {
    const results: VerificationResult[] = await Promise.all(
      m.credentials.map((jwt) => verifyJwtCredential({ jwt, resolver, trust, status, now })),
    )
    port!.postMessage({ kind: 'verified', chunk, results } satisfies FromWorker)
  } catch (e) {
    port!.postMessage({ kind: 'chunk_failed', chunk, message: (e as Error).message } satisfies FromWorker)
  }
}

port.on('message', (m: ToWorker) => {
  if (m.kind === 'verify') {
    void verifyChunk(m)
    return
  }
  for (const a of m.answers) {
    const waiter = waiting.get(a.call)
    if (!waiter) continue
    waiting.delete(a.call)
    if ('refused' in a) waiter.reject(new Error(a.refused))
    else waiter.resolve(a.value)
  }
})
