import { type ChildProcess, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { computeAddress } from 'ethers'
import { freePort } from '../src/chain/anvil'
import { inDays, licenceClaims } from './harness'

// Crash testing: the agent as a real process on a real data folder, killed with SIGKILL (alone,
// or together with its chain) at random moments while it rotates keys, adds services, issues and
// revokes; then restarted and checked. Used by crash.e2e.test.ts (a few kills) and by
// `pnpm chaos` (hundreds).

const AGENT_DIR = resolve(import.meta.dirname, '..')
const ROOT = resolve(AGENT_DIR, '..')

/** Tokens and ids the first start printed. */
export interface Secrets {
  admin: string
  board: { id: string; token: string }
  hospital: { id: string; token: string }
}

/** An agent process on a data folder. */
export interface AgentProcess {
  url: string
  proc: ChildProcess
  output(): string
  /** SIGKILL the agent; with `chain`, its anvil too (its pid is in the data folder's lock file). */
  kill(options?: { chain?: boolean }): void
  /** The anvil process the agent runs (from the data folder's lock file). */
  anvilPid(): number | undefined
  /** SIGTERM, and wait until it exited. */
  stop(): Promise<number | null>
  /** Resolves when the process has exited (however). */
  exited: Promise<void>
}

/** What a workload got a 2xx for: what must survive any crash. */
export interface Acknowledged {
  issued: { id: string; org: 'board' | 'hospital' }[]
  services: { org: 'board' | 'hospital'; endpoint: string }[]
  rotations: { org: 'board' | 'hospital'; oldKid: string; newKid: string }[]
  revoked: string[]
  /** Boards the operator created (each with its first assertion key: a DID operation). */
  created: { id: string; token: string; issued: string[] }[]
  /** Compromise rotations of created boards, with the credentials acknowledged before each began. */
  compromised: { org: string; token: string; before: string[] }[]
}

export const emptyAcknowledged = (): Acknowledged => ({
  issued: [],
  services: [],
  rotations: [],
  revoked: [],
  created: [],
  compromised: [],
})

/**
 * Starts `node --import tsx agent/src/main.ts` on `dataDir` and waits until its API answers.
 * On a first start the tokens are read from what it prints.
 */
export async function startAgentProcess(options: {
  dataDir: string
  port?: number
  env?: Record<string, string>
}): Promise<AgentProcess & { secrets: Partial<Secrets> }> {
  const agent = spawnAgentProcess({ ...options, port: options.port ?? (await freePort()) })
  return { ...agent, secrets: await agent.ready() }
}

/** Spawns the agent without waiting for it (to kill it during its start). */
export function spawnAgentProcess(options: {
  dataDir: string
  port: number
  env?: Record<string, string>
}): AgentProcess & { ready(): Promise<Partial<Secrets>> } {
  const { port } = options
  const proc = spawn(process.execPath, ['--import', 'tsx', join(AGENT_DIR, 'src', 'main.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      CLAVIS_DATA_DIR: options.dataDir,
      CLAVIS_AGENT_PORT: String(port),
      CLAVIS_LOG: 'info',
      ...options.env,
    },
  })
  let out = ''
  proc.stdout!.on('data', (d) => {
    out += d
  })
  proc.stderr!.on('data', (d) => {
    out += d
  })
  const exited = new Promise<void>((r) => proc.once('exit', () => r()))
  const url = `http://127.0.0.1:${port}`
  const lockPath = join(options.dataDir, 'agent.lock')
  const anvilPid = () => {
    try {
      return (JSON.parse(readFileSync(lockPath, 'utf8')) as { anvilPid?: number }).anvilPid
    } catch {
      return undefined
    }
  }
  return {
    url,
    proc,
    exited,
    output: () => out,
    anvilPid,
    async ready() {
      for (let i = 0; ; i++) {
        if (proc.exitCode !== null || proc.signalCode !== null)
          throw new Error(`the agent exited at start:\n${out}`)
        try {
          const res = await fetch(`${url}/v1/organisations`, { signal: AbortSignal.timeout(1000) })
          if (res.ok) break
        } catch {}
        if (i > 600) throw new Error(`the agent did not answer within 60 s:\n${out}`)
        await sleep(100)
      }
      const secrets: Partial<Secrets> = {}
      const admin = /operator \(admin\) token[^\n]*\n\s+(\S+)/.exec(out)?.[1]
      if (admin) secrets.admin = admin
      for (const m of out.matchAll(/\((board|hospital)\) id (\S+)\n[^\n]*\n\s+staff token \([^)]*\): (\S+)/g))
        secrets[m[1] as 'board' | 'hospital'] = { id: m[2]!, token: m[3]! }
      return secrets
    },
    kill(o = {}) {
      const anvil = anvilPid()
      proc.kill('SIGKILL')
      if (o.chain && anvil) {
        try {
          process.kill(anvil, 'SIGKILL')
        } catch {}
      }
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
      await exited
      return proc.exitCode
    },
  }
}

type Json = Record<string, any>

/** Calls the agent; never throws (a network error is status 0). */
export async function call(
  url: string,
  method: string,
  path: string,
  o: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Json }> {
  try {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(o.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
        ...o.headers,
      },
      ...(o.body === undefined ? {} : { body: JSON.stringify(o.body) }),
      signal: AbortSignal.timeout(30_000),
    })
    const text = await res.text()
    let body: Json = {}
    try {
      body = JSON.parse(text) as Json
    } catch {}
    return { status: res.status, body }
  } catch {
    return { status: 0, body: {} }
  }
}

const CLINICIAN = 'did:ethr:0x7a69:0xb9c5714089478a327f09197987f16f9e5d936e8a'

/**
 * Runs a mixed workload until `signal` aborts (or the agent stops answering): issuance through both
 * organisations, services, routine rotations of the board, revocations; and boards created by the
 * operator that issue and go through compromise rotations. Records every 2xx in `ack`.
 */
export async function runWorkload(
  url: string,
  secrets: Secrets,
  ack: Acknowledged,
  signal: AbortSignal,
): Promise<void> {
  const orgs = { board: secrets.board, hospital: secrets.hospital }
  const issue = async (org: 'board' | 'hospital') => {
    const body =
      org === 'board'
        ? {
            type: 'ClinicianLicenseCredential',
            subject: CLINICIAN,
            claims: licenceClaims(),
            validUntil: inDays(300),
          }
        : {
            type: 'PatientIdentityCredential',
            subject: CLINICIAN,
            claims: {
              name: { family: 'Test', given: ['Crash'] },
              birthDate: '1990-01-01',
              identifier: { system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN-1' },
              identityAssuranceLevel: 'IAL2',
            },
            validUntil: inDays(300),
          }
    const res = await call(url, 'POST', `/v1/organisations/${orgs[org].id}/credentials`, {
      token: orgs[org].token,
      body,
      headers: { 'idempotency-key': randomUUID() },
    })
    if (res.status === 201) ack.issued.push({ id: res.body.id, org })
  }
  const service = async (org: 'board' | 'hospital') => {
    const endpoint = `https://${org}.example/${randomUUID().slice(0, 8)}`
    const res = await call(url, 'POST', `/v1/organisations/${orgs[org].id}/did/services`, {
      token: orgs[org].token,
      body: { type: 'LinkedDomains', serviceEndpoint: endpoint },
    })
    if (res.status === 201) ack.services.push({ org, endpoint })
  }
  const rotate = async () => {
    const res = await call(url, 'POST', `/v1/organisations/${orgs.board.id}/did/rotate`, {
      token: orgs.board.token,
      body: { policy: 'routine' },
    })
    if (res.status === 200)
      ack.rotations.push({ org: 'board', oldKid: res.body.oldKid, newKid: res.body.newKid })
  }
  const revoke = async () => {
    const open = ack.issued.filter((c) => c.org === 'hospital' && !ack.revoked.includes(c.id))
    const target = open[Math.floor(Math.random() * open.length)]
    if (!target) return
    const res = await call(
      url,
      'POST',
      `/v1/organisations/${orgs.hospital.id}/credentials/${target.id}/status`,
      {
        token: orgs.hospital.token,
        body: { action: 'revoke' },
      },
    )
    if (res.status === 200) ack.revoked.push(target.id)
  }
  const licence = (token: string, orgId: string) =>
    call(url, 'POST', `/v1/organisations/${orgId}/credentials`, {
      token,
      body: {
        type: 'ClinicianLicenseCredential',
        subject: CLINICIAN,
        claims: licenceClaims(),
        validUntil: inDays(300),
      },
    })
  const createBoard = async () => {
    if (ack.created.length >= 6) return
    const res = await call(url, 'POST', '/v1/organisations', {
      token: secrets.admin,
      body: { name: `Crash Board ${randomUUID().slice(0, 8)}`, kind: 'board' },
    })
    if (res.status === 201)
      ack.created.push({ id: res.body.organisation.id, token: res.body.token, issued: [] })
  }
  const issueCreated = async () => {
    const org = ack.created[Math.floor(Math.random() * ack.created.length)]
    if (!org) return
    const res = await licence(org.token, org.id)
    if (res.status === 201) org.issued.push(res.body.id)
  }
  const compromise = async () => {
    const org = ack.created[Math.floor(Math.random() * ack.created.length)]
    if (!org) return
    const before = [...org.issued]
    const res = await call(url, 'POST', `/v1/organisations/${org.id}/did/rotate`, {
      token: org.token,
      body: { policy: 'compromise' },
    })
    if (res.status === 200) ack.compromised.push({ org: org.id, token: org.token, before })
  }
  const worker = async (steps: (() => Promise<void>)[]) => {
    while (!signal.aborted) {
      await steps[Math.floor(Math.random() * steps.length)]!()
      await sleep(20 + Math.random() * 60)
    }
  }
  await Promise.all([
    worker([() => issue('board'), () => issue('hospital'), () => issue('hospital')]),
    worker([rotate, () => service('board'), () => service('hospital'), rotate]),
    worker([revoke, () => issue('board')]),
    worker([createBoard, issueCreated, issueCreated, compromise]),
  ])
}

/**
 * What must hold after a restart, as a list of violations (empty: all held): the chain's owner of
 * each organisation's DID is the agent's controller key, its assertion key (what it signs with) is
 * in its DID document with its public key, and no acknowledged rotation was undone; every
 * acknowledged credential is stored, its signature verifies and its `kid` names a public key in
 * the current DID document (ADR 0024), and every acknowledged revocation shows in the published
 * list; every acknowledged service is on chain; nothing is left out of step (operator health shows
 * no problems).
 */
export async function checkInvariants(url: string, secrets: Secrets, ack: Acknowledged): Promise<string[]> {
  const violations: string[] = []
  const orgs = { board: secrets.board, hospital: secrets.hospital }
  type Method = { id: string; blockchainAccountId?: string; publicKeyHex?: string }
  const methods: Record<string, Method[]> = {}
  for (const [name, org] of Object.entries(orgs)) {
    const did = await call(url, 'GET', `/v1/organisations/${org.id}/did`)
    if (did.status !== 200) {
      violations.push(`${name}: GET did answered ${did.status}`)
      continue
    }
    const keys = did.body.keys as { kid: string; publicKeyHex: string; role: string }[]
    const controller = keys.find((k) => k.role === 'controller')
    const doc = did.body.resolution.didDocument
    methods[name] = doc.verificationMethod as Method[]
    const owner = methods[name]!.find((m) => m.id.endsWith('#controller'))
      ?.blockchainAccountId?.split(':')
      .at(-1)
      ?.toLowerCase()
    const signer = controller
      ? computeAddress(`0x${controller.publicKeyHex.replace(/^0x/, '')}`).toLowerCase()
      : undefined
    if (!controller || owner !== signer)
      violations.push(`${name}: the chain's owner ${owner} is not the agent's controller key (${signer})`)
    const assertion = keys.find((k) => k.role === 'assertion')
    const published = methods[name]!.some(
      (m) => m.publicKeyHex && `0x${m.publicKeyHex}` === assertion?.publicKeyHex.toLowerCase(),
    )
    if (!assertion || !published)
      violations.push(`${name}: its assertion key ${assertion?.kid} is not in its DID document`)
    const current = new Set(keys.map((k) => k.kid))
    const undone = ack.rotations.filter((r) => r.org === name && current.has(r.oldKid))
    if (undone.length > 0)
      violations.push(`${name}: an acknowledged rotation away from ${undone[0]!.oldKid} was undone`)
    const endpoints = JSON.stringify(doc.service ?? [])
    for (const s of ack.services.filter((x) => x.org === name))
      if (!endpoints.includes(s.endpoint))
        violations.push(`${name}: acknowledged service ${s.endpoint} is not on chain`)
  }
  // All stored ids, page by page; then every revoked one, the newest 40 and 20 others at random
  // are verified (verifying hundreds each round is slow).
  const stored = new Set<string>()
  for (const org of Object.values(orgs)) {
    for (let offset = 0; ; offset += 500) {
      const page = await call(
        url,
        'GET',
        `/v1/organisations/${org.id}/credentials?limit=500&offset=${offset}`,
        {
          token: org.token,
        },
      )
      const rows = (page.body.credentials ?? []) as { id: string }[]
      for (const r of rows) stored.add(r.id)
      if (rows.length < 500) break
    }
  }
  for (const c of ack.issued)
    if (!stored.has(c.id)) violations.push(`acknowledged credential ${c.id} is missing`)
  const newest = ack.issued.slice(-40)
  const others = ack.issued
    .slice(0, -40)
    .sort(() => Math.random() - 0.5)
    .slice(0, 20)
  const sample = [
    ...new Set([...ack.issued.filter((c) => ack.revoked.includes(c.id)).slice(-40), ...newest, ...others]),
  ]
  for (const c of sample) {
    const org = orgs[c.org]
    const got = await call(url, 'GET', `/v1/organisations/${org.id}/credentials/${c.id}`, {
      token: org.token,
    })
    if (got.status !== 200) continue
    const verified = await call(url, 'POST', '/v1/verify', {
      body: { credential: got.body.jwt, verifier: secrets.hospital.id },
    })
    const checks = verified.body.checks ?? {}
    if (!checks.signature?.passed)
      violations.push(`credential ${c.id}: signature does not verify (${checks.signature?.code})`)
    const kid = (JSON.parse(Buffer.from(String(got.body.jwt).split('.')[0]!, 'base64url').toString()) as Json)
      .kid
    if (!methods[c.org]?.some((m) => m.id === kid && typeof m.publicKeyHex === 'string'))
      violations.push(`credential ${c.id}: its kid ${kid} names no public key in the DID document`)
    const revoked = ack.revoked.includes(c.id)
    if (revoked && (got.body.status !== 'revoked' || checks.status?.code !== 'revoked'))
      violations.push(`credential ${c.id}: acknowledged revocation not stored or not published`)
    if (!revoked && got.body.status === 'valid' && checks.status && !checks.status.passed)
      violations.push(`credential ${c.id}: stored valid but the list says ${checks.status.code}`)
  }
  // Every acknowledged board can issue, with a kid that names its key (its first assertion key was
  // a DID operation the kill may have interrupted); what a compromised key signed is flagged and fails.
  for (const org of ack.created.slice(-3)) {
    const res = await call(url, 'POST', `/v1/organisations/${org.id}/credentials`, {
      token: org.token,
      body: {
        type: 'ClinicianLicenseCredential',
        subject: CLINICIAN,
        claims: licenceClaims(),
        validUntil: inDays(30),
      },
    })
    if (res.status !== 201)
      violations.push(`created board ${org.id}: cannot issue (${res.status} ${res.body.code})`)
  }
  for (const c of ack.compromised.slice(-3)) {
    for (const id of c.before.slice(-5)) {
      const got = await call(url, 'GET', `/v1/organisations/${c.org}/credentials/${id}`, { token: c.token })
      if (got.status !== 200) continue
      const verified = await call(url, 'POST', '/v1/verify', { body: { credential: got.body.jwt } })
      if (!got.body.reissueRequired || verified.body.checks?.signature?.passed !== false)
        violations.push(
          `credential ${id}: signed before an acknowledged compromise, yet not flagged or still verifying`,
        )
    }
  }
  const health = await call(url, 'GET', '/v1/health', { token: secrets.admin })
  for (const p of health.body.problems ?? []) violations.push(`health: ${p}`)
  return violations
}

/** Those of `pids` that are still running. */
export function stillRunning(pids: readonly number[]): number[] {
  return pids.filter((pid) => {
    try {
      process.kill(pid, 0)
      return true
    } catch {
      return false
    }
  })
}

/** Whether the data folder holds a state snapshot that parses (the chain can start from it). */
export function stateLoads(dataDir: string): boolean {
  const dir = join(dataDir, 'chain')
  if (!existsSync(dir)) return false
  const files = readdirSync(dir)
    .filter((f) => /^state-\d+\.json$/.test(f))
    .sort()
    .reverse()
  for (const f of files) {
    try {
      JSON.parse(readFileSync(join(dir, f), 'utf8'))
      return true
    } catch {}
  }
  return false
}
