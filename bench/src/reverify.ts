import { type AgentContext, addTrust, createOrganisation, verifyCredentialBatch } from '@clavis/agent'
import type { BenchResult } from './measure'

/** How many licences the hospital re-checks, from how many boards, and how many rounds are timed. */
const LICENCES = 10_000
const BOARDS = 3
const ROUNDS = 3
/** As `clavis verify --batch` sends them: 1000 per request, two requests in flight. */
const PER_REQUEST = 1000
const IN_FLIGHT = 2

/**
 * `reverify-10k-licences`: a hospital re-checks 10,000 stored licences from three boards (after a
 * board reports a key compromise, say) with the batch verification of the agent, on its worker pool
 * (one worker per core). Licences per second, median of three rounds of the whole batch, and the
 * ratio to `2 × raw-openssl-secp256k1-verify` (both cores doing nothing but raw verifications).
 *
 * @example
 * await reverifyLicences({ ctx, hospitalId, boardId, licence, rawOpensslVerify, progress, results })
 */
export async function reverifyLicences(options: {
  ctx: AgentContext
  hospitalId: string
  boardId: string
  licence: (boardId: string) => Promise<unknown>
  rawOpensslVerify: number
  progress: (m: string) => void
  results: BenchResult[]
}): Promise<void> {
  const { ctx, hospitalId, progress } = options
  progress(`creating ${BOARDS - 1} more boards (DIDs on chain) that the hospital trusts`)
  const boards = [options.boardId]
  for (let i = 1; i < BOARDS; i++) {
    const { organisation } = await createOrganisation(ctx, { name: `Bench Board ${i}`, kind: 'board' })
    await addTrust(ctx, {
      organisationId: hospitalId,
      issuer: organisation.did,
      types: ['ClinicianLicenseCredential'],
    })
    boards.push(organisation.id)
  }
  progress(`issuing ${LICENCES} licences from ${BOARDS} boards`)
  const licences: string[] = []
  while (licences.length < LICENCES) {
    const issued = await Promise.all(
      Array.from({ length: 50 }, (_, i) => options.licence(boards[(licences.length + i) % BOARDS]!)),
    )
    for (const c of issued) licences.push((c as { jwt: string }).jwt)
  }
  const slices: string[][] = []
  for (let i = 0; i < licences.length; i += PER_REQUEST) slices.push(licences.slice(i, i + PER_REQUEST))

  const runBatch = async (): Promise<number> => {
    const queue = [...slices]
    let valid = 0
    const started = performance.now()
    const lane = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const r = await verifyCredentialBatch(ctx, { verifier: hospitalId, credentials: next })
        valid += r.summary.valid
      }
    }
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane))
    const seconds = (performance.now() - started) / 1000
    if (valid !== LICENCES) throw new Error(`only ${valid} of ${LICENCES} licences verified`)
    return seconds
  }
  progress(`re-verifying ${LICENCES} licences on ${ctx.verifyPool.size} workers (one warm-up round)`)
  await verifyCredentialBatch(ctx, { verifier: hospitalId, credentials: licences.slice(0, 200) })
  const times: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    times.push(await runBatch())
    progress(`  round ${r + 1}: ${times.at(-1)!.toFixed(2)} s`)
  }
  times.sort((a, b) => a - b)
  const seconds = times[Math.floor(times.length / 2)]!
  const rate = LICENCES / seconds
  options.results.push({
    name: 'reverify-10k-licences',
    opsPerSec: rate,
    baseline: '2 × raw-openssl-secp256k1-verify',
    ratio: rate / (2 * options.rawOpensslVerify),
    seconds,
  })
}
