import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createCachedResolver, createDidResolver } from '@clavis/did'
import { createStatusChecker } from '@clavis/verify'
import { serve } from '@hono/node-server'
import { setGlobalConfig } from '@openid4vc/utils'
import type { Hono } from 'hono'
import { type AuditPort, failSafeAudit } from './audit/audit'
import { signCheckpoint } from './audit/checkpoints'
import { databaseAudit } from './audit/trail'
import { createCaches } from './caches'
import { type Chain, connectChain } from './chain/connect'
import { createJsonRpc } from './chain/json-rpc'
import { createRegistryChangeFeed } from './chain/registry-watch'
import type { AgentConfig } from './config'
import type { AgentContext } from './context'
import { openDatabase } from './db/data-source'
import { ensureAssertionKeyOfDid } from './features/dids/assertion-keys'
import { openOperations } from './features/dids/operation-store'
import { reconcile } from './features/dids/reconcile'
import {
  createOrganisation,
  listOrganisations,
  resetOrganisationToken,
  toOrganisation,
} from './features/organisations/organisations'
import { addAdminToken, hasAdminToken } from './features/organisations/tokens'
import { createVerifyPool } from './features/presentations/batch-pool'
import { databaseNonceStore } from './features/presentations/nonces'
import { seedDemoPatients } from './features/records/seed'
import { createListFetcher, readOwnList } from './features/status/fetch-list'
import { addTrust } from './features/trust/trust'
import { createApp } from './http/app'
import { createShutdownGate } from './http/shutdown-gate'
import { createCodeDeriver } from './keys/derived-codes'
import { loadOrCreateSecretKey } from './keys/secret'
import { createSigningKeys } from './keys/signing-keys'
import { acquireDataLock } from './util/data-lock'
import { newToken } from './util/ids'
import { createLogger } from './util/log'
import { createVeramoAgent } from './veramo/create-agent'

/** How long a stop waits for requests in flight. */
const DRAIN_MS = 10_000

/** How often the organisations' audit trails are checkpointed (when they grew). */
const AUDIT_CHECKPOINT_MS = 15 * 60_000

/** How often reconciliation is retried while something is out of step. */
const RECONCILE_RETRY_MS = 10_000
/** On a shared database, an operation untouched this long is not in flight in another agent. */
const OTHER_PROCESS_IDLE_MS = 90_000

/** What first start created and must be shown once. */
export interface FirstStartSecrets {
  adminToken?: string
  adminTokenPath?: string
  demoTokens?: { name: string; kind: string; id: string; did: string; token: string }[]
  /** Call once the tokens were shown: until then the next start shows fresh ones. */
  acknowledge?: () => void
}

/** A running agent. */
export interface RunningAgent {
  ctx: AgentContext
  app: Hono
  url: string
  firstStart: FirstStartSecrets
  /** Graceful: new requests get 503, those in flight finish (up to `drainMs`), the chain is saved. */
  stop(options?: { drainMs?: number }): Promise<void>
}

/** What a caller may plug into the agent instead of the defaults. */
export interface AgentOptions {
  /** A port that hears every audit event too (besides the trail in the database). */
  audit?: AuditPort
}

/**
 * Builds the agent's context: chain (embedded anvil or configured network), database, key store,
 * Veramo, resolver. Creates the admin token and the demo organisations on first start.
 *
 * @example
 * const { ctx, firstStart, close } = await openAgent(loadConfig(process.env))
 */
export async function openAgent(
  config: AgentConfig,
  onProgress: (message: string) => void = () => {},
  options: AgentOptions = {},
): Promise<{ ctx: AgentContext; firstStart: FirstStartSecrets; close(): Promise<void> }> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 })
  const log = createLogger(config.log)
  // One agent, and one embedded chain, per data folder.
  const lock = acquireDataLock(config.dataDir)
  for (const note of lock.notes) onProgress(note)
  const secret = loadOrCreateSecretKey({
    path: join(config.dataDir, 'secret.key'),
    fromEnv: config.secretKeyHex,
  })
  if (secret.source === 'generated')
    onProgress(`generated the key-store secret at ${join(config.dataDir, 'secret.key')} (mode 0600)`)
  let chain: Chain
  try {
    chain = await connectChain({
      config: config.chain,
      dataDir: config.dataDir,
      onProgress,
      onEvent: (message, fields) => {
        log.error(message, fields)
        lock.recordAnvil(chain?.anvilPid())
      },
    })
  } catch (e) {
    lock.release()
    throw e
  }
  lock.recordAnvil(chain.anvilPid())
  for (const note of chain.startNotes) onProgress(note)
  let db: Awaited<ReturnType<typeof openDatabase>> | undefined
  try {
    onProgress(`opening the ${config.database.type} database`)
    db = await openDatabase(config.database)
    const headRpc = createJsonRpc({ url: chain.rpcUrl })
    // One DID resolution cache for the process: an on-chain change is seen by the next resolution
    // (the registry's events since the last block looked at evict what they touch).
    const resolver = createCachedResolver({
      resolver: createDidResolver({
        networks: [{ chainId: chain.chainId, registry: chain.registry, provider: chain.provider as never }],
      }),
      feed: createRegistryChangeFeed({
        provider: chain.provider,
        registry: chain.registry,
        latestBlock: () => headRpc.blockNumber(),
      }),
      // One look at the head serves verifications for this long; this agent's own chain writes
      // are seen at once (`headMoved` below), another party's at most this late (ADR 0025).
      headCheckIntervalMs: config.headCheckMs,
    })
    const veramo = createVeramoAgent({
      db,
      secretKeyHex: secret.keyHex,
      provider: chain.provider,
      rpcUrl: chain.rpcUrl,
      chainId: chain.chainId,
      registry: chain.registry,
      resolver,
    })
    // Audit events go to the hash-chained trail in the database (and to a caller's extra port).
    const trail = databaseAudit(db, options.audit)
    const signingKeys = createSigningKeys({
      db,
      secretKeyHex: secret.keyHex,
      // A key signs only while the DID document as the chain has it lists it (ADR 0024).
      resolver,
      // An organisation made before assertion keys gets its first at first use (`ctx` is complete by then).
      provision: (did) => ensureAssertionKeyOfDid(ctx, did),
    })
    const publicUrl = (config.publicUrl ?? `http://${config.host}:${config.port}`).replace(/\/$/, '')
    // The OpenID4VC libraries refuse http: URLs unless told (a process-wide switch): told only
    // when this agent's own public URL is one (the embedded default on loopback).
    if (publicUrl.startsWith('http:')) setGlobalConfig({ allowInsecureUrls: true })
    // The composition root: every service's dependencies are made here, once, and passed in.
    // The status checker reads this agent's own lists through `ctx`, which is complete before any
    // request can reach it.
    let ctx: AgentContext
    const status = createStatusChecker({
      fetchList: createListFetcher({
        publicUrl,
        readOwn: (path) => readOwnList(ctx, path),
        allowInsecure: chain.embedded,
      }),
      resolver,
      onFetchError: (url, error) =>
        log.info('status list not fetched', {
          url,
          error: error instanceof Error ? error.message : String(error),
        }),
    })
    ctx = {
      config,
      db,
      // Every chain write of this agent (landed, failed or timed out) moves the head the
      // resolver must look at before its next answer.
      chain: {
        ...chain,
        write: async (task) => {
          try {
            return await chain.write(task)
          } finally {
            resolver.headMoved()
          }
        },
      },
      veramo,
      resolver,
      log,
      signingKeys,
      publicUrl,
      status,
      nonces: databaseNonceStore({ db }),
      verifyPool: createVerifyPool({ log }),
      caches: createCaches(),
      audit: failSafeAudit(trail, log),
      trail,
      reconciliation: { problems: [], checkedAt: new Date().toISOString() },
      derive: createCodeDeriver(secret.keyHex),
    }
    const firstStart: FirstStartSecrets = {}
    if (!(await hasAdminToken(ctx))) {
      const token = newToken()
      await addAdminToken(ctx, token)
      const path = join(config.dataDir, 'admin-token')
      writeFileSync(path, `${token}\n`, { mode: 0o600 })
      firstStart.adminToken = token
      firstStart.adminTokenPath = path
    }
    // The demo organisations, created until their tokens were shown: a first start killed half
    // way completes them at the next start and shows fresh tokens (only hashes are stored).
    const demoPending = join(config.dataDir, 'first-start.pending')
    const existing = await listOrganisations(ctx)
    if (config.demo && (existing.length === 0 || existsSync(demoPending))) {
      writeFileSync(demoPending, '', { mode: 0o600 })
      onProgress('creating the demo board and hospital (DIDs on chain)')
      const demo = async (name: string, kind: 'board' | 'hospital') => {
        const held = existing.find((o) => o.name === name && o.kind === kind)
        if (!held) return createOrganisation(ctx, { name, kind })
        return { organisation: toOrganisation(held), token: await resetOrganisationToken(ctx, held.id) }
      }
      const board = await demo('Demo Medical Board', 'board')
      const hospital = await demo('Demo General Hospital', 'hospital')
      const hospitalId = hospital.organisation.id
      await addTrust(ctx, {
        organisationId: hospitalId,
        issuer: board.organisation.did,
        types: ['ClinicianLicenseCredential'],
      })
      await addTrust(ctx, {
        organisationId: hospitalId,
        issuer: hospital.organisation.did,
        types: ['PatientIdentityCredential'],
      })
      const seeded = await seedDemoPatients(ctx, hospitalId, config.demoPatients)
      if (seeded > 0) onProgress(`gave the demo hospital ${seeded} synthetic patients with FHIR records`)
      // The demo's staff tokens also go to 0600 files beside admin-token, so that the README's
      // walkthrough can run verbatim (export CLAVIS_TOKEN=$(cat .clavis/demo-board.token)).
      writeFileSync(join(config.dataDir, 'demo-board.token'), `${board.token}\n`, { mode: 0o600 })
      writeFileSync(join(config.dataDir, 'demo-hospital.token'), `${hospital.token}\n`, { mode: 0o600 })
      firstStart.demoTokens = [board, hospital].map((o) => ({
        name: o.organisation.name,
        kind: o.organisation.kind,
        id: o.organisation.id,
        did: o.organisation.did,
        token: o.token,
      }))
      firstStart.acknowledge = () => rmSync(demoPending, { force: true })
    }
    // Complete what a crash interrupted and check the chain agrees with the database; what is
    // still wrong is retried every 30 s and shown (to the operator) in health.
    // With SQLite this is the only process; on PostgreSQL another agent may be mid-operation.
    const minIdleMs = config.database.type === 'postgres' ? OTHER_PROCESS_IDLE_MS : 0
    const first = await reconcile(ctx, { minIdleMs })
    for (const line of first.done) onProgress(line)
    for (const line of first.problems) onProgress(`PROBLEM: ${line}`)
    ctx.reconciliation = { problems: first.problems, checkedAt: new Date().toISOString() }
    const retry = setInterval(async () => {
      try {
        // Something reconciliation could not fix, or an operation a failed request left open.
        if (ctx.reconciliation.problems.length === 0 && (await openOperations(ctx)).length === 0) return
        const again = await reconcile(ctx, { minIdleMs })
        for (const line of again.done) log.info(line)
        ctx.reconciliation = { problems: again.problems, checkedAt: new Date().toISOString() }
      } catch (e) {
        log.error('reconciliation failed; retried later', { error: (e as Error).message })
      }
    }, RECONCILE_RETRY_MS)
    retry.unref()
    // Each organisation's trail is checkpointed (signed by its DID) when it grew since the last.
    const checkpoints = setInterval(async () => {
      for (const org of await listOrganisations(ctx).catch(() => [])) {
        if (org.status !== 'active') continue
        await signCheckpoint(ctx, org.id).catch((e) =>
          log.info('audit checkpoint not signed; retried later', {
            organisationId: org.id,
            error: (e as Error).message,
          }),
        )
      }
    }, AUDIT_CHECKPOINT_MS)
    checkpoints.unref()
    const opened = db
    return {
      ctx,
      firstStart,
      async close() {
        clearInterval(retry)
        clearInterval(checkpoints)
        await ctx.verifyPool.close()
        headRpc.close()
        await opened.destroy()
        await chain.stop()
        lock.release()
      },
    }
  } catch (e) {
    if (db?.isInitialized) await db.destroy()
    await chain.stop()
    lock.release()
    throw e
  }
}

/**
 * Opens the agent and serves its HTTP API on `config.host:config.port`.
 *
 * @example
 * const agent = await startAgent(loadConfig(process.env))
 * console.log(agent.url)
 * await agent.stop()
 */
export async function startAgent(
  config: AgentConfig,
  onProgress: (message: string) => void = () => {},
  options: AgentOptions = {},
): Promise<RunningAgent> {
  const opened = await openAgent(config, onProgress, options)
  const gate = createShutdownGate()
  const app = createApp(opened.ctx, { gate })
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(s))
    s.once('error', reject)
  }).catch(async (e) => {
    await opened.close()
    throw e
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  let stopped: Promise<void> | undefined
  return {
    ctx: opened.ctx,
    app,
    url: `http://${config.host}:${port}`,
    firstStart: opened.firstStart,
    stop(options = {}) {
      stopped ??= (async () => {
        // Refuse what is new (503), finish what is in flight (bounded), then save and close.
        gate.close()
        const closed = new Promise<void>((resolve) => server.close(() => resolve()))
        const drained = await gate.drained(options.drainMs ?? DRAIN_MS)
        if (!drained) opened.ctx.log.error('stopping with requests still in flight', {})
        ;(server as { closeAllConnections?: () => void }).closeAllConnections?.()
        await closed
        await opened.close()
      })()
      return stopped
    },
  }
}

/** Whether the data folder was used before (for messages). */
export function dataDirInUse(dataDir: string): boolean {
  return existsSync(join(dataDir, 'secret.key'))
}
