import type { CachedResolver } from '@clavis/did'
import type { NonceStore, StatusChecker } from '@clavis/verify'
import type { DataSource } from 'typeorm'
import type { AuditPort, TrailPort } from './audit/audit'
import type { AgentCaches } from './caches'
import type { Chain } from './chain/connect'
import type { AgentConfig } from './config'
import type { VerifyPool } from './features/presentations/batch-pool'
import type { DeriveCode } from './keys/derived-codes'
import type { SigningKeys } from './keys/signing-keys'
import type { Logger } from './util/log'
import type { ClavisVeramo } from './veramo/create-agent'

/** What the agent's services share: passed in, never global. */
export interface AgentContext {
  config: AgentConfig
  db: DataSource
  chain: Chain
  veramo: ClavisVeramo
  resolver: CachedResolver
  log: Logger
  /** Signers for the organisations' DIDs (keys decrypted once per process). */
  signingKeys: SigningKeys
  /** Base URL under which this agent publishes status lists (stable across restarts). */
  publicUrl: string
  /** Status lists checked for every verification, cached per their ttl. */
  status: StatusChecker
  /** Single-use presentation nonces. */
  nonces: NonceStore
  /** Verification workers (one per core) for batches of credentials; started by the first batch. */
  verifyPool: VerifyPool
  /** In-process caches, made once here and cleared by the services that change what they hold. */
  caches: AgentCaches
  /** Where services report what they changed and verifiers what they decided (never throws). */
  audit: AuditPort
  /**
   * The same trail, throwing when an event cannot be appended: for what must not happen unrecorded
   * (a record read, an access token), which then fails instead.
   */
  trail: TrailPort
  /** Codes recomputed from the key-store secret, stored nowhere (an offer's pre-authorized code). */
  derive: DeriveCode
  /** What the last reconciliation of chain, database and key store left out of step. */
  reconciliation: { problems: string[]; checkedAt: string }
}
