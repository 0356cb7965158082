import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AnvilNode, startAnvil } from '../src/chain/anvil'
import { createProvider } from '../src/chain/provider'
import { ensureRegistry } from '../src/chain/registry'
import { TEST_DATABASE } from './database'
import { inDays, licenceClaims, startTestAgent, type TestAgent } from './harness'
import { holderKey } from './holders'

// Outages are answered as outages: a chain that is down is 503 chain_unavailable (with
// Retry-After), not "not valid"; a full disk is 507 insufficient_storage with nothing half-written;
// health says degraded; a stop finishes what it accepted and refuses the rest.

const DEV_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'
const licence = (subject: string) => ({
  type: 'ClinicianLicenseCredential',
  subject,
  claims: licenceClaims(),
  validUntil: inDays(100),
})

describe('a chain that stops answering (configured network)', () => {
  let chainDir: string
  let node: AnvilNode
  let t: TestAgent
  let registry: `0x${string}`
  const clinician = holderKey()

  beforeAll(async () => {
    chainDir = mkdtempSync(join(tmpdir(), 'clavis-outage-chain-'))
    node = await startAnvil({ stateDir: chainDir })
    const provider = createProvider({ rpcUrl: node.rpcUrl, chainId: node.chainId })
    registry = (
      await ensureRegistry({
        provider,
        deployerKey: DEV_KEY,
        recordPath: join(chainDir, 'registry.json'),
        chainId: 31337,
      })
    ).address
    provider.destroy()
    t = await startTestAgent({
      env: {
        CLAVIS_RPC_URL: node.rpcUrl,
        CLAVIS_CHAIN_ID: '31337',
        CLAVIS_REGISTRY_ADDRESS: registry,
        CLAVIS_FUNDER_PRIVATE_KEY: DEV_KEY,
      },
    })
  })
  afterAll(async () => {
    await t?.stop()
    await node?.stop()
    rmSync(chainDir, { recursive: true, force: true })
  })

  it('verification answers 503 chain_unavailable with Retry-After, health 503 degraded, a DID write 503 — then all recovers', async () => {
    const issued = await t.request('POST', `/v1/organisations/${t.board.id}/credentials`, {
      token: t.board.token,
      body: licence(clinician.did),
    })
    expect(issued.status).toBe(201)
    const verify = () =>
      t.agent.app.request('/v1/verify', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ credential: issued.body.jwt, verifier: t.hospital.id }),
      })
    expect(((await (await verify()).json()) as { valid: boolean }).valid).toBe(true)
    await node.stop()
    // A new key's DID resolves only through the chain (the cache holds the board's document).
    ;(t.agent.ctx.resolver as { clear?: () => void }).clear?.()
    const started = Date.now()
    const down = await verify()
    expect(down.status).toBe(503)
    expect(down.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(((await down.json()) as { code: string }).code).toBe('chain_unavailable')
    const health = await t.agent.app.request('/v1/health')
    expect(health.status).toBe(503)
    expect(((await health.json()) as { status: string }).status).toBe('degraded')
    const write = await t.request('POST', `/v1/organisations/${t.board.id}/did/services`, {
      token: t.board.token,
      body: { type: 'LinkedDomains', serviceEndpoint: 'https://down.example/' },
    })
    expect(write.status).toBe(503)
    expect(write.body.code).toBe('chain_unavailable')
    expect(Date.now() - started).toBeLessThan(15_000)

    node = await startAnvil({ stateDir: chainDir, port: Number(new URL(t.agent.ctx.chain.rpcUrl).port) })
    for (let i = 0; i < 40 && (await verify()).status !== 200; i++) await sleep(250)
    expect(((await (await verify()).json()) as { valid: boolean }).valid).toBe(true)
  }, 60_000)
})

describe('stopping under load', () => {
  it('requests in flight finish; those that arrive after the stop began get 503 shutting_down', async () => {
    const t = await startTestAgent()
    const clinician = holderKey()
    const inFlight = Array.from({ length: 20 }, () =>
      t.request('POST', `/v1/organisations/${t.board.id}/credentials`, {
        token: t.board.token,
        body: licence(clinician.did),
      }),
    )
    await sleep(5)
    const stopping = t.agent.stop()
    const late = await t.request('GET', '/v1/organisations')
    const answers = await Promise.all(inFlight)
    await stopping
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201))
    expect(late.status).toBe(503)
    expect(late.body.code).toBe('shutting_down')
    rmSync(t.dataDir, { recursive: true, force: true })
  })
})

/** Whether this machine lets the test mount a small tmpfs (root in a sandbox usually can). */
function canMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false
  const probe = mkdtempSync(join(tmpdir(), 'clavis-mount-probe-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' })
    execFileSync('umount', [probe], { stdio: 'ignore' })
    return true
  } catch {
    return false
  } finally {
    rmSync(probe, { recursive: true, force: true })
  }
}

describe.skipIf(!canMount() || TEST_DATABASE !== 'sqlite')('a full disk (a 24 MiB tmpfs data folder)', () => {
  const mountPoint = mkdtempSync(join(tmpdir(), 'clavis-full-'))
  const filler = join(mountPoint, 'filler')
  let t: TestAgent
  const clinician = holderKey()
  beforeAll(async () => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountPoint])
    mkdirSync(join(mountPoint, 'data'))
    t = await startTestAgent({ dataDir: join(mountPoint, 'data') })
  })
  afterAll(async () => {
    rmSync(filler, { force: true })
    await t?.stop()
    execFileSync('umount', ['-l', mountPoint])
    rmSync(mountPoint, { recursive: true, force: true })
  })

  const fill = () => {
    try {
      for (let i = 0; ; i++) writeFileSync(`${filler}-${i}`, Buffer.alloc(256 * 1024))
    } catch {}
  }
  const empty = () => {
    for (let i = 0; i < 200; i++) rmSync(`${filler}-${i}`, { force: true })
  }

  it('issuance and DID writes answer 507 insufficient_storage, nothing is half-written, health says degraded; afterwards all works', async () => {
    const before = (
      await t.request('GET', `/v1/organisations/${t.board.id}/credentials`, { token: t.board.token })
    ).body.total
    fill()
    const issued = await t.request('POST', `/v1/organisations/${t.board.id}/credentials`, {
      token: t.board.token,
      body: licence(clinician.did),
    })
    expect(issued.status).toBe(507)
    expect(issued.body.code).toBe('insufficient_storage')
    const service = await t.request('POST', `/v1/organisations/${t.hospital.id}/did/services`, {
      token: t.hospital.token,
      body: { type: 'LinkedDomains', serviceEndpoint: 'https://full.example/' },
    })
    expect([507, 503]).toContain(service.status)
    const health = await t.request('GET', '/v1/health', { token: t.admin })
    expect(health.body.status).toBe('degraded')
    empty()
    const after = await t.request('GET', `/v1/organisations/${t.board.id}/credentials`, {
      token: t.board.token,
    })
    expect(after.body.total).toBe(before)
    const again = await t.request('POST', `/v1/organisations/${t.board.id}/credentials`, {
      token: t.board.token,
      body: licence(clinician.did),
    })
    expect(again.status).toBe(201)
    // The service that was refused is either completed by reconciliation or not there at all.
    const { reconcile } = await import('../src/features/dids/reconcile')
    const report = await reconcile(t.agent.ctx)
    expect(report.problems).toEqual([])
    const doc = (await t.request('GET', `/v1/organisations/${t.hospital.id}/did`)).body
    const onChain = JSON.stringify(doc.resolution.didDocument.service ?? []).includes('https://full.example/')
    const recorded = doc.events.some((e: { kind: string }) => e.kind === 'add-service')
    expect(onChain).toBe(recorded)
  }, 60_000)
})
