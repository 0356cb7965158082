import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { presentJwtVp } from '@clavis/verify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../src/chain/anvil'
import { LIST_TTL_SECONDS } from '../src/features/status/lists'
import { TEST_DATABASE } from './database'
import { inDays, licenceClaims, startTestAgent, type TestAgent } from './harness'
import { holderKey, type Json } from './holders'

// Two agent processes on one PostgreSQL database and one chain, behind one public URL (as behind a
// load balancer): a nonce is accepted once across both, status indexes are never shared, and a
// revocation made in one is seen by the other within the list's ttl. SQLite is one process's
// database, so this runs on PostgreSQL only.

const AGENT_DIR = resolve(import.meta.dirname, '..')

describe.skipIf(TEST_DATABASE !== 'postgres')('two agent processes on one PostgreSQL database', () => {
  let a: TestAgent
  let b: ChildProcess
  let bUrl: string
  let bDir: string
  const clinician = holderKey()

  /** Calls agent B over HTTP. */
  const callB = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(`${bUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: res.status, body: (await res.json()) as Json }
  }
  const callA = (method: string, path: string, body?: unknown, token?: string) =>
    a.request(method, path, { ...(token ? { token } : {}), ...(body === undefined ? {} : { body }) })
  const licence = {
    type: 'ClinicianLicenseCredential',
    subject: clinician.did,
    claims: licenceClaims(),
    validUntil: inDays(365),
  }

  beforeAll(async () => {
    a = await startTestAgent()
    bDir = mkdtempSync(join(tmpdir(), 'clavis-agent-b-'))
    const port = await freePort()
    bUrl = `http://127.0.0.1:${port}`
    const { chain, publicUrl } = a.agent.ctx
    b = spawn(join(AGENT_DIR, 'node_modules', '.bin', 'tsx'), ['src/main.ts'], {
      cwd: AGENT_DIR,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        CLAVIS_DATA_DIR: bDir,
        CLAVIS_AGENT_PORT: String(port),
        CLAVIS_RPC_URL: chain.rpcUrl,
        CLAVIS_CHAIN_ID: String(chain.chainId),
        CLAVIS_REGISTRY_ADDRESS: chain.registry,
        DATABASE_URL: a.databaseUrl!,
        CLAVIS_SECRET_KEY: readFileSync(join(a.dataDir, 'secret.key'), 'utf8').trim(),
        CLAVIS_PUBLIC_URL: publicUrl,
        CLAVIS_DEMO: '0',
        CLAVIS_LOG: 'silent',
      },
    })
    let err = ''
    b.stderr!.on('data', (d) => {
      err += d
    })
    for (let i = 0; ; i++) {
      if (b.exitCode !== null) throw new Error(`agent B exited: ${err}`)
      try {
        if ((await fetch(`${bUrl}/v1/health`)).ok) break
      } catch {}
      if (i > 240) throw new Error(`agent B did not start: ${err}`)
      await sleep(250)
    }
  })
  afterAll(async () => {
    if (b && b.exitCode === null) {
      b.kill('SIGTERM')
      await new Promise((r) => b.once('exit', r))
    }
    if (bDir) rmSync(bDir, { recursive: true, force: true })
    await a?.stop()
  })

  it('a nonce is accepted once across both agents', async () => {
    const { jwt } = (
      await callA('POST', `/v1/organisations/${a.board.id}/credentials`, licence, a.board.token)
    ).body
    for (let round = 0; round < 4; round++) {
      const request = (
        await callB('POST', `/v1/organisations/${a.hospital.id}/presentation-requests`, {}, a.hospital.token)
      ).body
      const presentation = await presentJwtVp({
        credentials: [jwt],
        holder: clinician.did,
        kid: clinician.kid,
        signer: clinician.signer,
        nonce: request.nonce,
        audience: request.audience,
      })
      const body = {
        presentation,
        nonce: request.nonce,
        requestSecret: request.requestSecret,
        verifier: a.hospital.id,
      }
      const answers = await Promise.all([
        ...Array.from({ length: 3 }, () => callA('POST', '/v1/verify/presentation', body)),
        ...Array.from({ length: 3 }, () => callB('POST', '/v1/verify/presentation', body)),
      ])
      expect(answers.map((x) => x.status)).toEqual(Array(6).fill(200))
      expect(answers.filter((x) => x.body.valid === true)).toHaveLength(1)
    }
  })

  it('licences issued at once through both agents never share a status index', async () => {
    const issue = (via: 'a' | 'b') =>
      via === 'a'
        ? callA('POST', `/v1/organisations/${a.board.id}/credentials`, licence, a.board.token)
        : callB('POST', `/v1/organisations/${a.board.id}/credentials`, licence, a.board.token)
    const answers = await Promise.all(Array.from({ length: 120 }, (_, i) => issue(i % 2 === 0 ? 'a' : 'b')))
    expect(answers.map((x) => x.status)).toEqual(Array(120).fill(201))
    const slots = answers.map((x) => {
      const payload = JSON.parse(Buffer.from(x.body.jwt.split('.')[1], 'base64url').toString())
      const entry = payload.vc.credentialStatus[0]
      return `${entry.statusListCredential}#${entry.statusListIndex}`
    })
    expect(new Set(slots).size).toBe(slots.length)
  })

  it(`a revocation made through one agent is seen by the other within the list's ttl (${LIST_TTL_SECONDS} s)`, async () => {
    const issued = (
      await callA('POST', `/v1/organisations/${a.board.id}/credentials`, licence, a.board.token)
    ).body
    const verifyOnB = async () =>
      (await callB('POST', '/v1/verify', { credential: issued.jwt, verifier: a.hospital.id })).body
    expect((await verifyOnB()).valid).toBe(true)
    const revoked = await callA(
      'POST',
      `/v1/organisations/${a.board.id}/credentials/${issued.id}/status`,
      { action: 'revoke' },
      a.board.token,
    )
    expect(revoked.status).toBe(200)
    const deadline = Date.now() + (LIST_TTL_SECONDS + 5) * 1000
    let seen: Json = {}
    while (Date.now() < deadline) {
      seen = await verifyOnB()
      if (seen.checks.status.code === 'revoked') break
      await sleep(1000)
    }
    expect(seen.checks.status).toMatchObject({ passed: false, code: 'revoked' })
  }, 60_000)
})
