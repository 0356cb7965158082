import type { TrustEntry, VerificationResult } from '@clavis/verify'

/** A question a verification worker asks the agent's thread, which alone holds the caches. */
export type Question =
  | { kind: 'resolve'; call: number; didUrl: string; options: Record<string, unknown> }
  | {
      kind: 'status'
      call: number
      method: 'checkBitstring' | 'checkToken'
      issuer: string
      entry: unknown
      now: number
    }

/** The agent thread's answer to one question: its value, or why it could not be answered. */
export type Answer = { call: number; value: unknown } | { call: number; refused: string }

/**
 * What the batch pool (the agent's thread) sends a verification worker: a chunk of JWT-VCs to
 * verify against a trust list at one moment, and answers to the worker's questions.
 */
export type ToWorker =
  | { kind: 'verify'; chunk: number; credentials: string[]; trust: readonly TrustEntry[]; now: number }
  | { kind: 'answers'; answers: Answer[] }

/**
 * What a verification worker sends back: the questions of one chunk asked in the same turn (DID
 * resolutions, status checks; one message for all), and each chunk's envelopes in order.
 */
export type FromWorker =
  | { kind: 'questions'; chunk: number; questions: Question[] }
  | { kind: 'verified'; chunk: number; results: VerificationResult[] }
  | { kind: 'chunk_failed'; chunk: number; message: string }
