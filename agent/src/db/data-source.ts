import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { Entities, migrations as veramoMigrations } from '@veramo/data-store'
import { DataSource } from 'typeorm'
import type { DatabaseConfig } from '../config'
import { clavisEntities } from './entities'
import { CreateClavisTables1732300000001 } from './migration-001-clavis-tables'
import { StatusAndNonces1732300000002 } from './migration-002-status-and-nonces'
import { RequestSecrets1732300000003 } from './migration-003-request-secrets'
import { DidOperations1732300000004 } from './migration-004-did-operations'
import { Idempotency1732300000005 } from './migration-005-idempotency'
import { AssertionKeys1732300000006 } from './migration-006-assertion-keys'
import { OneOpenStatusGroup1732300000007 } from './migration-007-one-open-status-group'
import { CredentialOffers1732300000008 } from './migration-008-credential-offers'
import { OpenId4VpRequests1732300000009 } from './migration-009-openid4vp-requests'
import { RecordAccess1732300000010 } from './migration-010-record-access'
import { serialiseSqlite } from './sqlite-serial'

/**
 * Opens the database (SQLite file or PostgreSQL) and runs Veramo's and Clavis's migrations.
 *
 * @example
 * const db = await openDatabase({ type: 'sqlite', path: '.clavis/clavis.sqlite' })
 */
export async function openDatabase(config: DatabaseConfig): Promise<DataSource> {
  const common = {
    entities: [...Entities, ...clavisEntities],
    migrations: [
      ...veramoMigrations,
      CreateClavisTables1732300000001,
      StatusAndNonces1732300000002,
      RequestSecrets1732300000003,
      DidOperations1732300000004,
      Idempotency1732300000005,
      AssertionKeys1732300000006,
      OneOpenStatusGroup1732300000007,
      CredentialOffers1732300000008,
      OpenId4VpRequests1732300000009,
      RecordAccess1732300000010,
    ],
    migrationsRun: true,
    synchronize: false,
    logging: false as const,
  }
  let ds: DataSource
  if (config.type === 'sqlite') {
    mkdirSync(dirname(config.path), { recursive: true })
    // better-sqlite3: synchronous, in-thread SQLite (≈20 µs a write where the sqlite3 driver's
    // thread-pool hop costs ≈300 µs). WAL + synchronous=FULL: every commit is on disk before it
    // returns, so what was acknowledged survives a power cut too, and an intent is on disk before
    // the chain write it announces (≈0.25 ms a commit here). See ADR 0010 and 0016.
    ds = new DataSource({
      type: 'better-sqlite3',
      database: config.path,
      ...common,
      enableWAL: true,
      timeout: 5000,
      prepareDatabase: (db: { pragma(p: string): unknown }) => {
        db.pragma('synchronous = FULL')
      },
    })
  } else {
    ds = new DataSource({ type: 'postgres', url: config.url, ...common })
  }
  await ds.initialize()
  // One connection shared by every request: transactions must take turns on it (ADR 0013).
  if (config.type === 'sqlite') serialiseSqlite(ds)
  return ds
}
