import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { Entities, migrations as veramoMigrations } from '@veramo/data-store'
import { DataSource } from 'typeorm'
import type { DatabaseConfig } from '../config'
import { clavisEntities } from './entities'
import { CreateClavisTables1732300000001 } from './migration-001-clavis-tables'

/**
 * Opens the database (SQLite file or PostgreSQL) and runs Veramo's and Clavis's migrations.
 *
 * @example
 * const db = await openDatabase({ type: 'sqlite', path: '.clavis/clavis.sqlite' })
 */
export async function openDatabase(config: DatabaseConfig): Promise<DataSource> {
  const common = {
    entities: [...Entities, ...clavisEntities],
    migrations: [...veramoMigrations, CreateClavisTables1732300000001],
    migrationsRun: true,
    synchronize: false,
    logging: false as const,
  }
  let ds: DataSource
  if (config.type === 'sqlite') {
    mkdirSync(dirname(config.path), { recursive: true })
    ds = new DataSource({
      type: 'sqlite',
      database: config.path,
      ...common,
      enableWAL: true,
      busyTimeout: 5000,
    })
  } else {
    ds = new DataSource({ type: 'postgres', url: config.url, ...common })
  }
  await ds.initialize()
  return ds
}
