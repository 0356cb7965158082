import { availableParallelism } from 'node:os'
import type { Worker } from 'node:worker_threads'
import type { StatusChecker, TrustEntry, VerificationResult } from '@clavis/verify'
import type { DIDResolutionOptions, DIDResolutionResult } from 'did-resolver'
import type { Logger } from '../../util/log'
import { startWorker } from '../../util/worker-thread'
import type { Answer, FromWorker, Question, ToWorker } from './batch-messages'

/** JWT-VCs a worker gets at a time, and chunks a worker holds at once (the rest wait in a queue). */
const CHUNK = 16
const CHUNKS_PER_WORKER = 2

/** One batch: what to verify, against what, and how this thread answers the workers' questions. */
export interface PoolJob {
  credentials: readonly string[]
  trust: readonly TrustEntry[]
  /** The moment every credential of the batch is verified at. */
  now: Date
  resolve(didUrl: string, options: DIDResolutionOptions): Promise<DIDResolutionResult>
  status: StatusChecker
}

/** Verification workers, one per core, shared by every batch in the process. */
export interface VerifyPool {
  /** How many workers verify at once. */
  readonly size: number
  /**
   * The envelope of each credential, in order. Rejects (and nothing is reported valid) when a
   * worker fails or the pool closes.
   */
  verify(job: PoolJob): Promise<VerificationResult[]>
  /** Stops the workers; batches under way are rejected. */
  close(): Promise<void>
}

interface Running {
  job: PoolJob
  results: VerificationResult[]
  left: number
  done(error?: Error): void
  failed: boolean
}

interface Chunk {
  id: number
  run: Running
  offset: number
  credentials: string[]
}

interface Slot {
  worker: Worker
  chunks: Set<Chunk>
}

/**
 * A pool of verification workers (batch-worker.ts), started when the first batch comes and stopped
 * by `close`. Chunks from every batch wait in one queue and go to whichever worker has room; each
 * worker verifies its chunks concurrently and asks this thread (the job's `resolve` and `status`)
 * for DID documents and status checks. A worker that dies fails the batches it was working on and
 * is replaced for the next.
 *
 * @example
 * const pool = createVerifyPool({ log })
 * const results = await pool.verify({ credentials, trust, now: new Date(), resolve, status })
 */
export function createVerifyPool(options: { log: Logger; size?: number }): VerifyPool {
  const size = Math.max(1, options.size ?? availableParallelism())
  const slots: Slot[] = []
  const queue: Chunk[] = []
  const byId = new Map<number, Chunk>()
  let nextChunk = 0
  let closed = false

  const fail = (run: Running, error: Error) => {
    if (run.failed) return
    run.failed = true
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.run === run) queue.splice(i, 1)
    run.done(error)
  }

  /** Answers a chunk's questions from this thread's caches, all in one message. */
  const answer = async (slot: Slot, chunk: Chunk, questions: Question[]) => {
    const { job } = chunk.run
    const answers = await Promise.all(
      questions.map(async (q): Promise<Answer> => {
        try {
          const value =
            q.kind === 'resolve'
              ? await job.resolve(q.didUrl, q.options)
              : q.method === 'checkBitstring'
                ? await job.status.checkBitstring({
                    issuer: q.issuer,
                    credentialStatus: q.entry,
                    now: new Date(q.now),
                  })
                : await job.status.checkToken({ issuer: q.issuer, status: q.entry, now: new Date(q.now) })
          return { call: q.call, value }
        } catch (e) {
          return { call: q.call, refused: e instanceof Error ? e.message : String(e) }
        }
      }),
    )
    slot.worker.postMessage({ kind: 'answers', answers } satisfies ToWorker)
  }

  const finish = (slot: Slot, chunk: Chunk, results: VerificationResult[]) => {
    slot.chunks.delete(chunk)
    byId.delete(chunk.id)
    const { run } = chunk
    if (!run.failed) {
      for (let i = 0; i < results.length; i++) run.results[chunk.offset + i] = results[i]!
      run.left -= results.length
      if (run.left === 0) run.done()
    }
    pump()
  }

  const lose = (slot: Slot, error: Error) => {
    const at = slots.indexOf(slot)
    if (at >= 0) slots.splice(at, 1)
    for (const chunk of slot.chunks) {
      byId.delete(chunk.id)
      fail(chunk.run, error)
    }
    slot.chunks.clear()
    pump()
  }

  const spawn = (): Slot => {
    const slot: Slot = {
      worker: startWorker({
        source: new URL('./batch-worker.ts', import.meta.url),
        bundled: 'batch-worker.mjs',
      }),
      chunks: new Set(),
    }
    slot.worker.on('message', (m: FromWorker) => {
      const chunk = byId.get(m.chunk)
      if (!chunk) return
      if (m.kind === 'verified') finish(slot, chunk, m.results)
      else if (m.kind === 'chunk_failed') {
        finish(slot, chunk, [])
        fail(chunk.run, new Error(`a verification worker failed: ${m.message}`))
      } else void answer(slot, chunk, m.questions)
    })
    slot.worker.on('error', (e) => {
      options.log.error('verification worker failed', { error: e.message })
      lose(slot, new Error(`a verification worker failed: ${e.message}`))
    })
    slot.worker.on('exit', (code) => {
      if (!closed) lose(slot, new Error(`a verification worker stopped (exit code ${code})`))
    })
    return slot
  }

  const pump = () => {
    if (closed) return
    while (queue.length > 0) {
      if (slots.length < size) slots.push(spawn())
      const slot = slots.reduce((a, b) => (b.chunks.size < a.chunks.size ? b : a))
      if (slot.chunks.size >= CHUNKS_PER_WORKER) return
      const chunk = queue.shift()!
      slot.chunks.add(chunk)
      byId.set(chunk.id, chunk)
      const { job } = chunk.run
      slot.worker.postMessage({
        kind: 'verify',
        chunk: chunk.id,
        credentials: chunk.credentials,
        trust: job.trust,
        now: job.now.getTime(),
      } satisfies ToWorker)
    }
  }

  return {
    size,
    verify(job) {
      if (closed) return Promise.reject(new Error('the verification pool is closed'))
      if (job.credentials.length === 0) return Promise.resolve([])
      return new Promise<VerificationResult[]>((resolve, reject) => {
        const run: Running = {
          job,
          results: new Array(job.credentials.length),
          left: job.credentials.length,
          failed: false,
          done: (error) => (error ? reject(error) : resolve(run.results)),
        }
        for (let offset = 0; offset < job.credentials.length; offset += CHUNK) {
          queue.push({
            id: nextChunk++,
            run,
            offset,
            credentials: job.credentials.slice(offset, offset + CHUNK),
          })
        }
        pump()
      })
    },
    async close() {
      closed = true
      const stopping = slots.splice(0).map((slot) => {
        for (const chunk of slot.chunks) fail(chunk.run, new Error('the verification pool is closed'))
        return slot.worker.terminate()
      })
      for (const chunk of queue.splice(0)) fail(chunk.run, new Error('the verification pool is closed'))
      await Promise.all(stopping)
    },
  }
}
