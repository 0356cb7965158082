import { describe, expect, it } from 'vitest'
import { AgentResponseError, describeAgentError, parseHealth, parseOrganisations } from './parse'

const health = {
  status: 'ok',
  version: '0.1.0',
  chain: {
    chainId: 31337,
    latestBlock: 7,
    registry: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    embedded: true,
    rpcUrl: 'https://mainnet.example/v3/secret-key',
  },
  database: { type: 'sqlite' },
}

const org = { id: 'o1', name: 'Board', kind: 'board', did: 'did:ethr:0x7a69:0x01', createdAt: '2026-01-01' }

describe('parseHealth', () => {
  it('keeps what the page shows and drops anything else (an operator’s RPC URL, database)', () => {
    expect(parseHealth(health)).toEqual({
      chain: { chainId: 31337, latestBlock: 7, registry: health.chain.registry },
    })
  })

  it('names the first bad field', () => {
    const bad = { ...health, chain: { ...health.chain, registry: '0x1234' } }
    expect(() => parseHealth(bad)).toThrowError(AgentResponseError)
    expect(() => parseHealth(bad)).toThrowError(
      'health.chain.registry: expected a 0x-prefixed 20-byte hex address',
    )
  })

  it('refuses a non-ok status, a bad chain id and a non-object', () => {
    expect(() => parseHealth({ ...health, chain: { ...health.chain, chainId: 0 } })).toThrowError(
      'health.chain.chainId',
    )
    expect(() => parseHealth({ ...health, status: 'degraded' })).toThrowError('health.status')
    expect(() => parseHealth([])).toThrowError('health: expected an object')
  })
})

describe('parseOrganisations', () => {
  it('accepts the documented shape', () => {
    expect(parseOrganisations({ organisations: [org] })).toEqual([org])
  })

  it('refuses an unknown kind, naming the item', () => {
    const body = { organisations: [org, { ...org, kind: 'pharmacy' }] }
    expect(() => parseOrganisations(body)).toThrowError(
      'organisations[1].kind: expected one of "board", "hospital"',
    )
  })

  it('refuses a missing list', () => {
    expect(() => parseOrganisations({})).toThrowError('organisations: expected an array')
  })
})

describe('describeAgentError', () => {
  it('reads { code, message } and ignores anything else', () => {
    expect(describeAgentError({ code: 'not_found', message: 'No such thing' })).toBe(
      'not_found: No such thing',
    )
    expect(describeAgentError({ error: 'x' })).toBeUndefined()
    expect(describeAgentError('nope')).toBeUndefined()
  })
})
