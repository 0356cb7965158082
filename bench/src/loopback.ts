import { createServer } from 'node:net'
import type { DIDResolutionResult, Resolvable } from 'did-resolver'

// What the loopback benches (an agent with its HTTP server, a wallet library talking to it) share.

/** A free TCP port on loopback. */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

/** A wallet's DID resolution: the agent's `GET /v1/dids/{did}`, kept for a minute as a wallet would. */
export function httpResolver(agentUrl: string): Resolvable {
  const cache = new Map<string, { at: number; result: DIDResolutionResult }>()
  return {
    async resolve(didUrl) {
      const did = didUrl.split('#')[0]!
      const hit = cache.get(did)
      if (hit && Date.now() - hit.at < 60_000) return hit.result
      const result = (await (
        await fetch(`${agentUrl}/v1/dids/${encodeURIComponent(did)}`)
      ).json()) as DIDResolutionResult
      cache.set(did, { at: Date.now(), result })
      return result
    },
  }
}

/** The p-th percentile of sorted values (nearest rank). */
export const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!

/** A board's offer of a year's licence (SD-JWT VC) to a bench clinician. */
export function licenceOfferBody() {
  return {
    type: 'ClinicianLicenseCredential',
    formats: ['dc+sd-jwt'],
    validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
    claims: {
      name: { family: 'Okafor', given: ['Ada'] },
      profession: { system: 'http://nucc.org/provider-taxonomy', code: '207R00000X' },
      licenseNumber: 'A-123456',
      jurisdiction: 'US-CA',
      specialty: [{ system: 'http://snomed.info/sct', code: '394579002' }],
    },
  }
}
