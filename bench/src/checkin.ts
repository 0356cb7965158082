import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig, startAgent } from '@clavis/agent'
import { createDidEthrKey } from '@clavis/did'
import { createPresenter, createReceiver, type HolderKey, memoryCredentialStore } from '@clavis/holder'
import { setGlobalConfig } from '@openid4vc/oauth2'
import { freePort, httpResolver, licenceOfferBody, percentile } from './loopback'
import type { BenchResult } from './measure'
import type { RawRates } from './raw'

const WARMUP = 20
const CHECKINS = 300

/**
 * `checkin-openid4vp`: a check-in through the protocol on loopback, one after another — the
 * hospital's staff create an OpenID4VP request (HTTP), the wallet library resolves it (fetches
 * and verifies the signed request object), matches its licence, presents it (SD-JWT VC with key
 * binding, direct_post), and staff read the result (HTTP). Check-ins per second, median and p95
 * latency (target p95 ≤ 100 ms), and the share of signature work: 2 signatures (request object,
 * KB-JWT) and 3 verifications (request object, issuer, KB-JWT) at this run's raw rates.
 *
 * @example
 * await measureCheckin({ raw, progress, results })
 */
export async function measureCheckin(options: {
  raw: RawRates
  progress: (message: string) => void
  results: BenchResult[]
}): Promise<void> {
  const { raw, progress, results } = options
  const dataDir = mkdtempSync(join(tmpdir(), 'clavis-bench-checkin-'))
  progress(`starting an agent with its HTTP server for check-ins (data in ${dataDir})`)
  const agent = await startAgent(
    loadConfig({
      CLAVIS_DATA_DIR: dataDir,
      CLAVIS_LOG: 'silent',
      CLAVIS_AGENT_PORT: String(await freePort()),
    }),
    progress,
  )
  try {
    setGlobalConfig({ allowInsecureUrls: true })
    const board = agent.firstStart.demoTokens?.find((t) => t.kind === 'board')
    const hospital = agent.firstStart.demoTokens?.find((t) => t.kind === 'hospital')
    if (!board?.token || !hospital?.token) throw new Error('demo organisations missing')
    const call = async <T>(method: string, path: string, token: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${agent.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      })
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
      return (await res.json()) as T
    }
    const resolver = httpResolver(agent.url)
    const k = createDidEthrKey({ chainId: agent.ctx.chain.chainId })
    const key: HolderKey = { did: k.did, kid: k.kid, alg: 'ES256K', jwk: k.jwk, sign: k.signer }
    const store = memoryCredentialStore()
    progress('the clinician receives a licence through OpenID4VCI')
    const offer = await call<{ offerUri: string; txCode: string }>(
      'POST',
      `/v1/organisations/${board.id}/offers`,
      board.token,
      licenceOfferBody(),
    )
    await createReceiver({ resolver }).receive({ offer: offer.offerUri, txCode: offer.txCode, key, store })
    const presenter = createPresenter({ resolver })
    const dcql = {
      credentials: [
        {
          id: 'licence',
          format: 'dc+sd-jwt',
          meta: { vct_values: ['urn:clavis:vct:ClinicianLicenseCredential:1'] },
          claims: [{ path: ['name'] }, { path: ['licenseNumber'] }],
        },
      ],
    }
    const checkIn = async () => {
      const asked = await call<{ id: string; requestUri: string }>(
        'POST',
        `/v1/organisations/${hospital.id}/oid4vp/requests`,
        hospital.token!,
        {
          dcql,
        },
      )
      const request = await presenter.resolve(asked.requestUri)
      const matches = presenter.match(request, await store.list())
      await presenter.respond({ request, chosen: { licence: matches.licence?.[0] }, key })
      const result = await call<{ result?: { valid: boolean } }>(
        'GET',
        `/v1/organisations/${hospital.id}/oid4vp/requests/${asked.id}`,
        hospital.token!,
      )
      if (!result.result?.valid) throw new Error(`check-in not valid: ${JSON.stringify(result)}`)
    }
    progress(`${WARMUP} check-ins to warm up, then ${CHECKINS} timed, one after another`)
    for (let i = 0; i < WARMUP; i++) await checkIn()
    const latencies: number[] = []
    const started = performance.now()
    for (let i = 0; i < CHECKINS; i++) {
      const t0 = performance.now()
      await checkIn()
      latencies.push(performance.now() - t0)
    }
    const elapsed = performance.now() - started
    latencies.sort((a, b) => a - b)
    const medianMs = percentile(latencies, 50)
    const p95Ms = percentile(latencies, 95)
    const signatureMs = 2 * (1000 / raw.nobleSign) + 3 * (1000 / raw.opensslVerify)
    results.push({
      name: 'checkin-openid4vp',
      opsPerSec: (CHECKINS * 1000) / elapsed,
      baseline: null,
      ratio: null,
      medianMs,
      p95Ms,
      signatureShare: signatureMs / medianMs,
    })
  } finally {
    await agent.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
