import { describe, expect, it } from 'vitest'
import { healthRows, kindLabel, sortOrganisations, splitCode } from './format'
import type { Organisation } from './types'

describe('healthRows', () => {
  it('lists chain id, latest block and registry in order', () => {
    const rows = healthRows({
      chain: { chainId: 31337, latestBlock: 1234, registry: '0xabc0000000000000000000000000000000000def' },
    })
    expect(rows).toEqual([
      { label: 'Chain ID', value: '31337' },
      { label: 'Latest block', value: '1,234' },
      { label: 'Registry', value: '0xabc0000000000000000000000000000000000def' },
    ])
  })
})

describe('kindLabel', () => {
  it('names both kinds', () => {
    expect([kindLabel('board'), kindLabel('hospital')]).toEqual(['Medical board', 'Hospital'])
  })
})

describe('sortOrganisations', () => {
  it('puts boards first, then names alphabetically, without changing the input', () => {
    const make = (name: string, kind: Organisation['kind']): Organisation => ({
      id: name,
      name,
      kind,
      did: `did:ethr:${name}`,
      createdAt: '2026-01-01',
    })
    const input = [
      make('Zeta Hospital', 'hospital'),
      make('Alpha Hospital', 'hospital'),
      make('Board', 'board'),
    ]
    expect(sortOrganisations(input).map((o) => o.name)).toEqual(['Board', 'Alpha Hospital', 'Zeta Hospital'])
    expect(input[0]!.name).toBe('Zeta Hospital')
  })
})

describe('splitCode', () => {
  it('marks backticked parts as code', () => {
    expect(splitCode('Start with `pnpm start`.')).toEqual([
      { text: 'Start with ', code: false },
      { text: 'pnpm start', code: true },
      { text: '.', code: false },
    ])
  })

  it('leaves a message without backticks alone', () => {
    expect(splitCode('plain')).toEqual([{ text: 'plain', code: false }])
  })
})
