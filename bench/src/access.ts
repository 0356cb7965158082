import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig, startAgent } from '@clavis/agent'
import { createDidEthrKey } from '@clavis/did'
import {
  checkReceivedCredential,
  createPresenter,
  createReceiver,
  dpopProof,
  type HeldCredential,
  type HolderKey,
  memoryCredentialStore,
} from '@clavis/holder'
import { issueSdJwtVc } from '@clavis/sd-jwt'
import { signTokenStatusListJwt, TokenStatusList, tokenStatusEntry } from '@clavis/status'
import { setGlobalConfig } from '@openid4vc/oauth2'
import { freePort, httpResolver, licenceOfferBody, percentile } from './loopback'
import { type BenchResult, burstRate } from './measure'
import type { RawRates } from './raw'

const WARMUP = 20
const DECISIONS = 300
const SEARCH_ROUNDS = 5
const SEARCHES_PER_ROUND = 200
/** Observations the patient has for the searches (the synthetic ones, and earlier copies). */
const HISTORY = 200

/** A latency result with the target it is read against (printed beside it, never asserted). */
export interface TargetedResult extends BenchResult {
  target?: string
  /** Median milliseconds of each step of one operation (where the time goes). */
  phasesMs?: Record<string, number>
}

const median = (values: readonly number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  )

const walletKey = (chainId: number): HolderKey => {
  const k = createDidEthrKey({ chainId })
  return { did: k.did, kid: k.kid, alg: 'ES256K', jwk: k.jwk, sign: k.signer }
}

interface TokenResponse {
  access_token: string
  expires_in: number
  scope: string
  patient: string
}

/**
 * Record access (issue #12) on loopback against a started agent, with the wallet library:
 *
 * `access-decision`: one after another, a clinician asks the hospital for a patient's records
 * (POST …/access/requests), the wallet resolves the signed request, matches its licence and the
 * patient's grant, answers (direct_post), the asker reads the decision with its secret and takes a
 * DPoP-bound token. Decisions per second, median and p95 (target p95 ≤ 50 ms), and the share of
 * signature work at this run's raw rates: 4 signatures (request object, 2 KB-JWTs, DPoP proof) and
 * 6 verifications (request object, licence issuer, licence KB-JWT, grant issuer, grant KB-JWT,
 * DPoP proof), plus the status list JWTs when their ttl ran out (board's 30 s, patient's 60 s).
 *
 * `fhir-search-scoped`: with one token (renewed through the token endpoint before it expires),
 * FHIR searches of the patient's Observations newest first, each with a fresh DPoP proof (one
 * signature, one verification); searches per second, median and p95, ratio to raw OpenSSL
 * verify measured beside each round. `fhir-search-scoped-filtered` adds a code and date filter.
 *
 * @example
 * await measureAccess({ raw, progress, results })
 */
export async function measureAccess(options: {
  raw: RawRates
  progress: (message: string) => void
  results: BenchResult[]
}): Promise<void> {
  const { raw, progress, results } = options
  const dataDir = mkdtempSync(join(tmpdir(), 'clavis-bench-access-'))
  progress(`starting an agent with its HTTP server for record access (data in ${dataDir})`)
  const agent = await startAgent(
    loadConfig({
      CLAVIS_DATA_DIR: dataDir,
      CLAVIS_LOG: 'silent',
      CLAVIS_AGENT_PORT: String(await freePort()),
      CLAVIS_DEMO_PATIENTS: '0',
    }),
    progress,
  )
  try {
    setGlobalConfig({ allowInsecureUrls: true })
    const board = agent.firstStart.demoTokens?.find((t) => t.kind === 'board')
    const hospital = agent.firstStart.demoTokens?.find((t) => t.kind === 'hospital')
    if (!board?.token || !hospital?.token) throw new Error('demo organisations missing')
    const send = async (
      method: string,
      path: string,
      o: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
    ): Promise<Response> => {
      const headers: Record<string, string> = { ...(o.headers ?? {}) }
      if (o.token) headers.authorization ??= `Bearer ${o.token}`
      let body: string | undefined = o.raw
      if (o.body !== undefined) {
        body = JSON.stringify(o.body)
        headers['content-type'] = 'application/json'
      }
      return fetch(`${agent.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) })
    }
    const call = async <T>(method: string, path: string, o: Parameters<typeof send>[2] = {}): Promise<T> => {
      const res = await send(method, path, o)
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
      return (await res.json()) as T
    }
    const resolver = httpResolver(agent.url)
    const chainId = agent.ctx.chain.chainId

    progress('the clinician receives a licence through OpenID4VCI')
    const clinician = walletKey(chainId)
    const store = memoryCredentialStore()
    const offer = await call<{ offerUri: string; txCode: string }>(
      'POST',
      `/v1/organisations/${board.id}/offers`,
      {
        token: board.token,
        body: licenceOfferBody(),
      },
    )
    await createReceiver({ resolver }).receive({
      offer: offer.offerUri,
      txCode: offer.txCode,
      key: clinician,
      store,
    })

    progress(
      'a patient registers with synthetic records, takes the identity credential, publishes a grant list',
    )
    const patientKey = walletKey(chainId)
    const registered = await call<{
      patient: { id: string }
      offer: { offerUri: string; txCode: string }
    }>('POST', `/v1/organisations/${hospital.id}/patients`, {
      token: hospital.token,
      body: {
        claims: {
          name: { family: 'García', given: ['Lucía'] },
          birthDate: '1984-02-29',
          identifier: { system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN-0042' },
          identityAssuranceLevel: 'IAL2',
        },
        syntheticRecords: true,
      },
    })
    const patientId = registered.patient.id
    await createReceiver({ resolver }).receive({
      offer: registered.offer.offerUri,
      txCode: registered.offer.txCode,
      key: patientKey,
      store: memoryCredentialStore(),
    })
    const listPath = `/v1/status-lists/dids/${patientKey.did}/grants`
    const listUrl = `${agent.url}${listPath}`
    const listJwt = await signTokenStatusListJwt({
      issuer: patientKey.did,
      kid: patientKey.kid,
      alg: 'ES256K',
      signer: (input) => patientKey.sign(input),
      uri: listUrl,
      list: TokenStatusList.create({ size: 131072, bits: 2 }),
      iat: new Date(Date.now() - 5000),
      ttlSeconds: 60,
    })
    const uploaded = await send('PUT', listPath, {
      raw: listJwt,
      headers: { 'content-type': 'application/statuslist+jwt' },
    })
    if (!uploaded.ok) throw new Error(`grant list upload: ${uploaded.status} ${await uploaded.text()}`)

    progress('the patient grants the clinician access to Observations and Conditions at the hospital')
    const grantSdJwt = await issueSdJwtVc({
      type: 'AccessGrantCredential',
      issuer: patientKey.did,
      kid: patientKey.kid,
      alg: 'ES256K',
      signer: (input) => patientKey.sign(input),
      subject: clinician.did,
      jti: `urn:uuid:${crypto.randomUUID()}`,
      claims: {
        audience: hospital.did,
        scope: ['patient/Observation.rs', 'patient/Condition.rs'],
        purposeOfUse: 'TREAT',
      },
      holderJwk: clinician.jwk,
      validFrom: new Date(Date.now() - 60_000),
      validUntil: new Date(Date.now() + 30 * 86_400_000),
      status: tokenStatusEntry({ uri: listUrl, idx: 1 }),
    })
    const checked = await checkReceivedCredential({
      credential: grantSdJwt,
      format: 'dc+sd-jwt',
      key: clinician,
      resolver,
      expectType: 'AccessGrantCredential',
    })
    const held: HeldCredential = {
      ...checked,
      id: crypto.randomUUID(),
      credentialIssuer: patientKey.did,
      receivedAt: new Date().toISOString(),
    }
    await store.put(held)

    const presenter = createPresenter({ resolver })
    const tokenPath = `/v1/organisations/${hospital.id}/access/token`
    const takeToken = async (id: string, secret: string) =>
      call<TokenResponse>('POST', tokenPath, {
        token: secret,
        body: { requestId: id },
        headers: { dpop: await dpopProof(clinician, 'POST', `${agent.url}${tokenPath}`) },
      })
    const phases = { request: [], resolve: [], respond: [], decision: [], token: [] } as Record<
      'request' | 'resolve' | 'respond' | 'decision' | 'token',
      number[]
    >
    const decide = async () => {
      let t = performance.now()
      const lap = (phase: keyof typeof phases) => {
        const now = performance.now()
        phases[phase].push(now - t)
        t = now
      }
      const asked = await call<{ id: string; requestUri: string; secret: string }>(
        'POST',
        `/v1/organisations/${hospital.id}/access/requests`,
        { body: { patient: patientKey.did } },
      )
      lap('request')
      const request = await presenter.resolve(asked.requestUri)
      lap('resolve')
      const matches = presenter.match(request, await store.list())
      await presenter.respond({
        request,
        chosen: { licence: matches.licence?.[0], grant: matches.grant?.[0] },
        key: clinician,
      })
      lap('respond')
      const decided = await call<{ decision?: { permitted: boolean; reason?: string } }>(
        'GET',
        `/v1/organisations/${hospital.id}/access/requests/${asked.id}`,
        { token: asked.secret },
      )
      if (!decided.decision?.permitted) throw new Error(`access not permitted: ${JSON.stringify(decided)}`)
      lap('decision')
      const token = await takeToken(asked.id, asked.secret)
      lap('token')
      return { ...asked, token }
    }

    progress(`${WARMUP} access decisions to warm up, then ${DECISIONS} timed, one after another`)
    for (let i = 0; i < WARMUP; i++) await decide()
    for (const list of Object.values(phases)) list.length = 0
    const latencies: number[] = []
    const started = performance.now()
    let last: Awaited<ReturnType<typeof decide>> | undefined
    for (let i = 0; i < DECISIONS; i++) {
      const t0 = performance.now()
      last = await decide()
      latencies.push(performance.now() - t0)
    }
    const elapsedS = (performance.now() - started) / 1000
    latencies.sort((a, b) => a - b)
    const signMs = 1000 / raw.nobleSign
    const verifyMs = 1000 / raw.opensslVerify
    // Status list JWTs: verified again once their ttl ran out (the board's every 30 s, the
    // patient's grant list every 60 s), spread over the decisions of the run.
    const listVerifies = (elapsedS / 30 + elapsedS / 60) / DECISIONS
    const decisionSignatureMs = 4 * signMs + (6 + listVerifies) * verifyMs
    const phasesMs = Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, median(v)]))
    progress(
      `access decision, median ms per step: ${Object.entries(phasesMs)
        .map(([k, v]) => `${k} ${v.toFixed(1)}`)
        .join(', ')}`,
    )
    const decisionResult: TargetedResult = {
      name: 'access-decision',
      opsPerSec: DECISIONS / elapsedS,
      baseline: null,
      ratio: null,
      medianMs: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      signatureShare: decisionSignatureMs / percentile(latencies, 50),
      target: 'p95 ≤ 50 ms',
      phasesMs,
    }
    results.push(decisionResult)

    // FHIR searches with one token, renewed (through the token endpoint, outside the timing)
    // when less than 5 s of it is left.
    if (!last) throw new Error('no access decision')
    const session = { id: last.id, secret: last.secret }
    let token = last.token
    let expiresAt = Date.now() + token.expires_in * 1000
    let renewals = 0
    const fresh = async () => {
      if (expiresAt - Date.now() > 5000) return
      token = await takeToken(session.id, session.secret)
      expiresAt = Date.now() + token.expires_in * 1000
      renewals++
    }
    const search = async (query: string) => {
      const path = `/fhir/Observation?${query}`
      const res = await fetch(`${agent.url}${path}`, {
        headers: {
          authorization: `DPoP ${token.access_token}`,
          dpop: await dpopProof(clinician, 'GET', `${agent.url}/fhir/Observation`, token.access_token),
        },
      })
      const text = await res.text()
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${text.slice(0, 500)}`)
      return JSON.parse(text) as {
        total?: number
        entry?: {
          resource: {
            id: string
            effectiveDateTime?: string
            code?: { coding?: { system?: string; code?: string }[] }
          }
        }[]
      }
    }
    const newestFirst = `patient=${patientId}&_sort=-date&_count=50`
    const first = await search(newestFirst)
    const synthetic = (first.entry ?? []).map((e) => e.resource)
    const coding = synthetic[0]?.code?.coding?.[0]
    if (!coding?.code) throw new Error('the patient has no Observations to search')
    // A longer history than the demo's few visits, so that `_count=50` is a page of a sorted set:
    // the synthetic Observations again, a week earlier each time (staff PUT them as records).
    const earlier = Array.from({ length: HISTORY - synthetic.length }, (_, n) => {
      const o = synthetic[n % synthetic.length]!
      const at = Date.parse(o.effectiveDateTime!) - (n + 1) * 7 * 86_400_000
      return {
        ...o,
        id: `${o.id}-h${n + 1}`,
        effectiveDateTime: `${new Date(at).toISOString().slice(0, 19)}Z`,
      }
    })
    for (
      let i = 0;
      i < earlier.length;
      i += 25 // bodies are at most 64 KiB
    )
      await call('PUT', `/v1/organisations/${hospital.id}/patients/${patientId}/records`, {
        token: hospital.token,
        body: { resources: earlier.slice(i, i + 25) },
      })
    const all = await search(newestFirst)
    if (all.total !== HISTORY || all.entry?.length !== 50)
      throw new Error(`expected 50 of ${HISTORY} Observations, got ${all.entry?.length} of ${all.total}`)
    progress(
      `the patient has ${all.total} Observations (${synthetic.length} synthetic, ${earlier.length} earlier copies)`,
    )
    const variants = [
      { name: 'fhir-search-scoped', query: newestFirst },
      {
        name: 'fhir-search-scoped-filtered',
        query: `${newestFirst}&code=${encodeURIComponent(`${coding.system}|${coding.code}`)}&date=ge2000-01-01`,
      },
    ]
    for (const variant of variants) {
      progress(
        `${variant.name}: ${SEARCH_ROUNDS} rounds of ${SEARCHES_PER_ROUND} searches (GET /fhir/Observation?${variant.query.replace(patientId, '<id>')}), raw OpenSSL verify beside each`,
      )
      for (let i = 0; i < 20; i++) {
        await fresh()
        await search(variant.query)
      }
      const times: number[] = []
      const ratios: number[] = []
      const rates: number[] = []
      for (let r = 0; r < SEARCH_ROUNDS; r++) {
        const base = burstRate(raw.opensslVerifyOnce, 150)
        let busy = 0
        for (let i = 0; i < SEARCHES_PER_ROUND; i++) {
          await fresh()
          const t0 = performance.now()
          await search(variant.query)
          const ms = performance.now() - t0
          busy += ms
          times.push(ms)
        }
        const rate = (SEARCHES_PER_ROUND * 1000) / busy
        rates.push(rate)
        ratios.push(rate / base)
      }
      times.sort((a, b) => a - b)
      const searchResult: TargetedResult = {
        name: variant.name,
        opsPerSec: median(rates),
        baseline: 'raw-openssl-secp256k1-verify',
        ratio: median(ratios),
        medianMs: percentile(times, 50),
        p95Ms: percentile(times, 95),
        signatureShare: (signMs + verifyMs) / percentile(times, 50),
      }
      results.push(searchResult)
    }
    progress(`the token was renewed ${renewals} time(s) during the searches`)
  } finally {
    await agent.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
