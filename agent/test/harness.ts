import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import type { AuditPort } from '../src/audit/audit'
import { freePort } from '../src/chain/anvil'
import { loadConfig } from '../src/config'
import { type RunningAgent, startAgent } from '../src/system'
import { dropTestDatabase, testDatabaseEnv } from './database'

/**
 * A real agent for tests: embedded anvil chain, HTTP on a free port, SQLite in a temp folder (or a
 * fresh PostgreSQL database with CLAVIS_TEST_DATABASE=postgres, see ./database).
 */
export interface TestAgent {
  agent: RunningAgent
  url: string
  dataDir: string
  /** The PostgreSQL database's URL; undefined on SQLite (the file is in `dataDir`). */
  databaseUrl: string | undefined
  admin: string
  board: { id: string; did: string; token: string }
  hospital: { id: string; did: string; token: string }
  /** Calls the API in-process (no socket) and returns status and JSON. */
  request(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any }>
  /** Stops the agent; with `keepData` the data folder stays for a restart. */
  stop(options?: { keepData?: boolean }): Promise<void>
}

/**
 * Starts a real agent. Pass `dataDir` to restart on an existing data folder (first-start secrets
 * are then those passed in `previous`).
 *
 * @example
 * const t = await startTestAgent()
 * await t.request('GET', '/v1/health')
 * await t.stop()
 */
export async function startTestAgent(
  options: { dataDir?: string; previous?: TestAgent; env?: Record<string, string>; audit?: AuditPort } = {},
): Promise<TestAgent> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'clavis-test-'))
  // A real free port, so the status list URLs in credentials are the ones the server answers on.
  const port = options.previous ? new URL(options.previous.url).port : String(await freePort())
  // A restart reuses the previous agent's database (SQLite: the file in dataDir); a fresh agent gets a new one.
  let database: Record<string, string> = {}
  if (!options.previous) database = await testDatabaseEnv()
  else if (options.previous.databaseUrl) database = { DATABASE_URL: options.previous.databaseUrl }
  const config = loadConfig({
    CLAVIS_DATA_DIR: dataDir,
    CLAVIS_AGENT_PORT: port,
    CLAVIS_LOG: process.env.CLAVIS_TEST_LOG ?? 'silent',
    // Synthetic demo patients cost a second of FHIR definitions per agent: only where a test asks.
    CLAVIS_DEMO_PATIENTS: '0',
    ...database,
    ...options.env,
  })
  const databaseUrl = config.database.type === 'postgres' ? config.database.url : undefined
  const agent = await startAgent(config, () => {}, { audit: options.audit }).catch(async (e) => {
    if (databaseUrl && !options.previous) await dropTestDatabase(databaseUrl)
    throw e
  })
  const first = agent.firstStart
  first.acknowledge?.()
  const demo = first.demoTokens
  const pick = (kind: string) => {
    const d = demo?.find((t) => t.kind === kind)
    if (d) return { id: d.id, did: d.did, token: d.token }
    const p = kind === 'board' ? options.previous?.board : options.previous?.hospital
    if (!p) throw new Error('restarting needs the previous TestAgent for its tokens')
    return p
  }
  const admin = first.adminToken ?? options.previous?.admin
  if (!admin) throw new Error('no admin token')
  const t: TestAgent = {
    agent,
    url: agent.url,
    dataDir,
    databaseUrl,
    admin,
    board: pick('board'),
    hospital: pick('hospital'),
    async request(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) }
      if (o.token) headers.authorization = `Bearer ${o.token}`
      let body: string | undefined
      if (o.raw !== undefined) body = o.raw
      else if (o.body !== undefined) {
        body = JSON.stringify(o.body)
        headers['content-type'] ??= 'application/json'
      }
      const res = await agent.app.request(path, { method, headers, ...(body === undefined ? {} : { body }) })
      const text = await res.text()
      let json: unknown
      try {
        json = text ? JSON.parse(text) : undefined
      } catch {
        json = text
      }
      return { status: res.status, body: json }
    },
    async stop(o = {}) {
      await agent.stop()
      if (o.keepData) return
      rmSync(dataDir, { recursive: true, force: true })
      if (databaseUrl) await dropTestDatabase(databaseUrl)
    },
  }
  return t
}

/** Valid licence claims for tests. */
export function licenceClaims(): Record<string, unknown> {
  return {
    name: { family: 'Okafor', given: ['Ada'] },
    profession: {
      system: 'http://nucc.org/provider-taxonomy',
      code: '207R00000X',
      display: 'Internal Medicine',
    },
    licenseNumber: 'A-123456',
    jurisdiction: 'US-CA',
    specialty: [{ system: 'http://snomed.info/sct', code: '394579002', display: 'Cardiology' }],
    npi: '1234567893',
  }
}

/** Valid patient identity claims for tests. */
export function patientClaims(): Record<string, unknown> {
  return {
    name: { family: 'García', given: ['Lucía'] },
    birthDate: '1984-02-29',
    identifier: { system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN-0042' },
    identityAssuranceLevel: 'IAL2',
  }
}

/** A clinician or patient DID on the local chain (no transaction needed for it to exist). */
export const CLINICIAN_DID = 'did:ethr:0x7a69:0xb9c5714089478a327f09197987f16f9e5d936e8a'
export const PATIENT_DID = 'did:ethr:0x7a69:0x5b2e4b0d8c2b4a3b9f1e7d6c5a4b3c2d1e0f9a8b'

/** An ISO time `days` from now. */
export function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString()
}

/**
 * A real agent for every test of the calling file: started before them, stopped after. The value
 * stands for the started agent (use it inside tests and hooks, not at the file's top level).
 *
 * @example
 * const t = useTestAgent()
 * it('answers', async () => expect((await t.request('GET', '/v1/health')).status).toBe(200))
 */
export function useTestAgent(options?: Parameters<typeof startTestAgent>[0]): TestAgent {
  let started: TestAgent | undefined
  beforeAll(async () => {
    started = await startTestAgent(options)
  })
  afterAll(async () => {
    await started?.stop()
  })
  return new Proxy({} as TestAgent, {
    get(_target, key) {
      if (!started) throw new Error('The test agent starts in beforeAll: use it inside tests and hooks.')
      const value = Reflect.get(started, key)
      return typeof value === 'function' ? value.bind(started) : value
    },
  })
}
