import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'

// Which database the tests' agents use. By default SQLite in each agent's data folder; with
// CLAVIS_TEST_DATABASE=postgres a fresh database per agent on the server at CLAVIS_TEST_POSTGRES_URL
// (an admin URL; `node scripts/test.mjs` starts a throwaway server, see scripts/postgres.mjs).

/** The database type the tests' agents run on. */
export const TEST_DATABASE: 'sqlite' | 'postgres' =
  process.env.CLAVIS_TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite'

/** The part of `pg` used here (the agent has no @types/pg). */
interface PgClient {
  connect(): Promise<unknown>
  query(sql: string): Promise<unknown>
  end(): Promise<void>
}
const { Client } = createRequire(import.meta.url)('pg') as {
  Client: new (config: { connectionString: string }) => PgClient
}

/** Runs one statement on a fresh connection to `url`. */
async function exec(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

/**
 * The environment that points a fresh test agent at its database: `{}` for SQLite (the default,
 * in the data folder), or `{ DATABASE_URL }` naming a new, empty, uniquely named PostgreSQL database.
 *
 * @example
 * const config = loadConfig({ CLAVIS_DATA_DIR: dir, ...(await testDatabaseEnv()) })
 */
export async function testDatabaseEnv(): Promise<Record<string, string>> {
  if (TEST_DATABASE !== 'postgres') return {}
  const admin = process.env.CLAVIS_TEST_POSTGRES_URL
  if (!admin) {
    throw new Error(
      'CLAVIS_TEST_DATABASE=postgres needs CLAVIS_TEST_POSTGRES_URL (an admin postgres:// URL); ' +
        '`node scripts/postgres.mjs` starts a throwaway server and prints one',
    )
  }
  const name = `clavis_test_${process.pid}_${randomBytes(4).toString('hex')}`
  await exec(admin, `CREATE DATABASE "${name}"`)
  const url = new URL(admin)
  url.pathname = `/${name}`
  return { DATABASE_URL: url.toString() }
}

/** Drops a database made by `testDatabaseEnv` (best-effort: errors are ignored). */
export async function dropTestDatabase(url: string): Promise<void> {
  const admin = process.env.CLAVIS_TEST_POSTGRES_URL
  const name = decodeURIComponent(new URL(url).pathname.slice(1))
  if (!admin || !/^clavis_test_\w+$/.test(name)) return
  await exec(admin, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {})
}
