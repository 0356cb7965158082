import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config'

describe('loadConfig', () => {
  it('defaults to the embedded chain, SQLite in ./.clavis and port 8787', () => {
    const c = loadConfig({})
    expect(c.chain).toEqual({ kind: 'embedded', port: 0 })
    expect(c.database.type).toBe('sqlite')
    expect(c.port).toBe(8787)
    expect(c.host).toBe('127.0.0.1')
    expect(c.dataDir.endsWith('.clavis')).toBe(true)
  })

  it('uses a configured network when CLAVIS_RPC_URL is set', () => {
    const c = loadConfig({
      CLAVIS_RPC_URL: 'https://rpc.example.org',
      CLAVIS_CHAIN_ID: '11155111',
      CLAVIS_REGISTRY_ADDRESS: '0x03d5003bf0e79C5F5223588F347ebA39AfbC3818',
    })
    expect(c.chain).toMatchObject({ kind: 'remote', chainId: 11155111 })
  })

  it('refuses an RPC URL without chain id and registry, naming them', () => {
    expect(() => loadConfig({ CLAVIS_RPC_URL: 'https://rpc.example.org' })).toThrow(
      /CLAVIS_CHAIN_ID.*CLAVIS_REGISTRY_ADDRESS/,
    )
  })

  it('names the bad variable', () => {
    expect(() => loadConfig({ CLAVIS_AGENT_PORT: 'eighty' })).toThrow(ConfigError)
    expect(() => loadConfig({ CLAVIS_AGENT_PORT: 'eighty' })).toThrow(/CLAVIS_AGENT_PORT/)
    expect(() => loadConfig({ CLAVIS_SECRET_KEY: 'short' })).toThrow(
      /CLAVIS_SECRET_KEY.*openssl rand -hex 32/,
    )
  })

  it('selects PostgreSQL from DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@127.0.0.1/clavis' }).database).toEqual({
      type: 'postgres',
      url: 'postgres://u:p@127.0.0.1/clavis',
    })
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/)
  })
})
