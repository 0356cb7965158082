import { resolve } from 'node:path'
import { ClavisError } from '@clavis/errors'
import { z } from 'zod'

const port = z.coerce.number().int().min(0).max(65535)

const envSchema = z.object({
  CLAVIS_DATA_DIR: z.string().min(1).default('./.clavis'),
  CLAVIS_AGENT_HOST: z.string().min(1).default('127.0.0.1'),
  CLAVIS_AGENT_PORT: port.default(8787),
  CLAVIS_PUBLIC_URL: z.url().optional(),
  CLAVIS_RPC_URL: z.url().optional(),
  CLAVIS_CHAIN_ID: z.coerce.number().int().positive().optional(),
  CLAVIS_REGISTRY_ADDRESS: z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte hex address')
    .optional(),
  CLAVIS_FUNDER_PRIVATE_KEY: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, 'must be a 0x-prefixed 32-byte hex private key')
    .optional(),
  CLAVIS_ANVIL_PORT: port.default(0),
  CLAVIS_CONFIRMATIONS: z.coerce.number().int().min(1).max(64).default(1),
  CLAVIS_HEAD_CHECK_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  CLAVIS_SECRET_KEY: z
    .string()
    .regex(
      /^[0-9a-fA-F]{64}$/,
      'must be 64 hex characters (32 bytes); generate one with `openssl rand -hex 32`',
    )
    .optional(),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres|postgresql|sqlite):/, 'must start with postgres://, postgresql:// or sqlite:')
    .optional(),
  CLAVIS_DEMO: z.enum(['0', '1', 'true', 'false']).default('1'),
  /** How many synthetic patients (with FHIR records) the demo hospital gets at first start. */
  CLAVIS_DEMO_PATIENTS: z.coerce.number().int().min(0).max(1000).default(5),
  CLAVIS_LOG: z.enum(['silent', 'info', 'debug']).default('info'),
})

/** Where the chain comes from: an anvil the agent runs, or a configured network. */
export type ChainConfig =
  | { kind: 'embedded'; port: number }
  | {
      kind: 'remote'
      rpcUrl: string
      chainId: number
      registry: `0x${string}`
      funderPrivateKey?: string
      /** Blocks (the one holding it included) before a write counts as done. */
      confirmations?: number
    }

/** Which database. */
export type DatabaseConfig = { type: 'sqlite'; path: string } | { type: 'postgres'; url: string }

/** The agent's configuration, parsed once at start-up. */
export interface AgentConfig {
  dataDir: string
  host: string
  port: number
  publicUrl: string | undefined
  chain: ChainConfig
  database: DatabaseConfig
  secretKeyHex: string | undefined
  /**
   * How long one look at the chain head serves DID resolution, in ms (0: every resolution looks).
   * Another party's change to a DID is seen at most this late; this agent's own at once.
   */
  headCheckMs: number
  demo: boolean
  /** Synthetic patients the demo hospital gets at first start. */
  demoPatients: number
  log: 'silent' | 'info' | 'debug'
}

/** A configuration error: names the variable and says how to fix it. */
export class ConfigError extends ClavisError<'invalid_config'> {
  override readonly name = 'ConfigError'

  constructor(message: string, options: { cause?: unknown } = {}) {
    super({ code: 'invalid_config', message, cause: options.cause })
  }
}

/**
 * Reads the agent's configuration from environment variables.
 *
 * @example
 * const config = loadConfig(process.env)
 */
export function loadConfig(env: Record<string, string | undefined>): AgentConfig {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`)
  }
  const e = parsed.data
  const dataDir = resolve(e.CLAVIS_DATA_DIR)
  let chain: ChainConfig
  if (e.CLAVIS_RPC_URL) {
    if (!e.CLAVIS_CHAIN_ID || !e.CLAVIS_REGISTRY_ADDRESS) {
      throw new ConfigError(
        'CLAVIS_RPC_URL is set, so CLAVIS_CHAIN_ID and CLAVIS_REGISTRY_ADDRESS must be set too ' +
          '(the ERC-1056 registry address of that network; known deployments are listed by the ethr-did-registry package).',
      )
    }
    chain = {
      kind: 'remote',
      rpcUrl: e.CLAVIS_RPC_URL,
      chainId: e.CLAVIS_CHAIN_ID,
      registry: e.CLAVIS_REGISTRY_ADDRESS as `0x${string}`,
      confirmations: e.CLAVIS_CONFIRMATIONS,
      ...(e.CLAVIS_FUNDER_PRIVATE_KEY ? { funderPrivateKey: e.CLAVIS_FUNDER_PRIVATE_KEY } : {}),
    }
  } else {
    chain = { kind: 'embedded', port: e.CLAVIS_ANVIL_PORT }
  }
  const database: DatabaseConfig =
    e.DATABASE_URL && !e.DATABASE_URL.startsWith('sqlite:')
      ? { type: 'postgres', url: e.DATABASE_URL }
      : {
          type: 'sqlite',
          path: e.DATABASE_URL
            ? resolve(e.DATABASE_URL.replace(/^sqlite:(\/\/)?/, ''))
            : resolve(dataDir, 'clavis.sqlite'),
        }
  return {
    dataDir,
    host: e.CLAVIS_AGENT_HOST,
    port: e.CLAVIS_AGENT_PORT,
    publicUrl: e.CLAVIS_PUBLIC_URL,
    chain,
    database,
    secretKeyHex: e.CLAVIS_SECRET_KEY,
    headCheckMs: e.CLAVIS_HEAD_CHECK_MS,
    demo: e.CLAVIS_DEMO === '1' || e.CLAVIS_DEMO === 'true',
    demoPatients: e.CLAVIS_DEMO_PATIENTS,
    log: e.CLAVIS_LOG,
  }
}
