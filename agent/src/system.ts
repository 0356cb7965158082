import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createCachedResolver, createEthrResolver } from '@clavis/did'
import { createStatusChecker } from '@clavis/verify'
import { serve } from '@hono/node-server'
import type { Hono } from 'hono'
import { type Chain, connectChain } from './chain/connect'
import { createJsonRpc } from './chain/json-rpc'
import { createRegistryChangeFeed } from './chain/registry-watch'
import type { AgentConfig } from './config'
import type { AgentContext } from './context'
import { addTrust } from './credentials/trust'
import { openDatabase } from './db/data-source'
import { createApp } from './http/app'
import { loadOrCreateSecretKey } from './keys/secret'
import { createSigningKeys } from './keys/signing-keys'
import { addAdminToken, hasAdminToken } from './orgs/auth'
import { createOrganisation, listOrganisations } from './orgs/organisations'
import { databaseNonceStore } from './presentations/nonces'
import { createListFetcher } from './status/fetch-list'
import { newToken } from './util/ids'
import { createLogger } from './util/log'
import { createVeramoAgent } from './veramo/create-agent'

/** What first start created and must be shown once. */
export interface FirstStartSecrets {
  adminToken?: string
  adminTokenPath?: string
  demoTokens?: { name: string; kind: string; id: string; did: string; token: string }[]
}

/** A running agent. */
export interface RunningAgent {
  ctx: AgentContext
  app: Hono
  url: string
  firstStart: FirstStartSecrets
  stop(): Promise<void>
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
): Promise<{ ctx: AgentContext; firstStart: FirstStartSecrets; close(): Promise<void> }> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 })
  const log = createLogger(config.log)
  const secret = loadOrCreateSecretKey({
    path: join(config.dataDir, 'secret.key'),
    fromEnv: config.secretKeyHex,
  })
  if (secret.source === 'generated')
    onProgress(`generated the key-store secret at ${join(config.dataDir, 'secret.key')} (mode 0600)`)
  const chain: Chain = await connectChain({ config: config.chain, dataDir: config.dataDir, onProgress })
  let db: Awaited<ReturnType<typeof openDatabase>> | undefined
  try {
    onProgress(`opening the ${config.database.type} database`)
    db = await openDatabase(config.database)
    const headRpc = createJsonRpc({ url: chain.rpcUrl })
    // One DID resolution cache for the process: an on-chain change is seen by the next resolution
    // (the registry's events since the last block looked at evict what they touch).
    const resolver = createCachedResolver({
      resolver: createEthrResolver({
        networks: [{ chainId: chain.chainId, registry: chain.registry, provider: chain.provider as never }],
      }),
      feed: createRegistryChangeFeed({
        provider: chain.provider,
        registry: chain.registry,
        latestBlock: () => headRpc.blockNumber(),
      }),
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
    const signingKeys = createSigningKeys({ db, secretKeyHex: secret.keyHex, veramo })
    const publicUrl = (config.publicUrl ?? `http://${config.host}:${config.port}`).replace(/\/$/, '')
    const ctx = {
      config,
      db,
      chain,
      veramo,
      resolver,
      log,
      signingKeys,
      publicUrl,
    } as unknown as AgentContext
    ctx.status = createStatusChecker({
      fetchList: createListFetcher(ctx, { allowInsecure: chain.embedded }),
      resolver,
      onFetchError: (url, error) =>
        log.info('status list not fetched', {
          url,
          error: error instanceof Error ? error.message : String(error),
        }),
    })
    ctx.nonces = databaseNonceStore(ctx)
    const firstStart: FirstStartSecrets = {}
    if (!(await hasAdminToken(ctx))) {
      const token = newToken()
      await addAdminToken(ctx, token)
      const path = join(config.dataDir, 'admin-token')
      writeFileSync(path, `${token}\n`, { mode: 0o600 })
      firstStart.adminToken = token
      firstStart.adminTokenPath = path
    }
    if (config.demo && (await listOrganisations(ctx)).length === 0) {
      onProgress('creating the demo board and hospital (DIDs on chain)')
      const board = await createOrganisation(ctx, { name: 'Demo Medical Board', kind: 'board' })
      const hospital = await createOrganisation(ctx, { name: 'Demo General Hospital', kind: 'hospital' })
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
      firstStart.demoTokens = [board, hospital].map((o) => ({
        name: o.organisation.name,
        kind: o.organisation.kind,
        id: o.organisation.id,
        did: o.organisation.did,
        token: o.token,
      }))
    }
    const opened = db
    return {
      ctx,
      firstStart,
      async close() {
        headRpc.close()
        await opened.destroy()
        await chain.stop()
      },
    }
  } catch (e) {
    if (db?.isInitialized) await db.destroy()
    await chain.stop()
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
): Promise<RunningAgent> {
  const opened = await openAgent(config, onProgress)
  const app = createApp(opened.ctx)
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(s))
    s.once('error', reject)
  }).catch(async (e) => {
    await opened.close()
    throw e
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  return {
    ctx: opened.ctx,
    app,
    url: `http://${config.host}:${port}`,
    firstStart: opened.firstStart,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await opened.close()
    },
  }
}

/** Whether the data folder was used before (for messages). */
export function dataDirInUse(dataDir: string): boolean {
  return existsSync(join(dataDir, 'secret.key'))
}
