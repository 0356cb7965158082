import { describe, expect, it } from 'vitest'
import { errorCode } from '../test/kits/errors'
import { decodeTokenStatusList } from './decodeTokenStatusList'
import { encodeTokenStatusList } from './encodeTokenStatusList'
import { MIN_LIST_ENTRIES } from './limits'
import { TOKEN_STATUS, TokenStatusList } from './tokenStatusList'

describe('TokenStatusList', () => {
  it('packs 1-bit entries from the least significant bit', () => {
    const list = TokenStatusList.create({ size: 16, bits: 1, allowSmall: true })
    list.set(0, 1)
    expect(list.toBytes()).toEqual(new Uint8Array([0x01, 0]))
    list.set(7, 1)
    expect(list.toBytes()).toEqual(new Uint8Array([0x81, 0]))
    list.set(8, 1)
    expect(list.toBytes()).toEqual(new Uint8Array([0x81, 0x01]))
  })

  it('packs 2-, 4- and 8-bit entries from the least significant bits', () => {
    const two = TokenStatusList.create({ size: 4, bits: 2, allowSmall: true })
    two.set(0, 1)
    two.set(1, 2)
    two.set(3, 3)
    expect(two.toBytes()).toEqual(new Uint8Array([0b11_00_10_01]))
    const four = TokenStatusList.create({ size: 2, bits: 4, allowSmall: true })
    four.set(0, 0xa)
    four.set(1, 0x5)
    expect(four.toBytes()).toEqual(new Uint8Array([0x5a]))
    const eight = TokenStatusList.create({ size: 2, bits: 8, allowSmall: true })
    eight.set(1, 255)
    expect(eight.toBytes()).toEqual(new Uint8Array([0, 255]))
    expect([two.get(0), two.get(1), two.get(2), two.get(3), four.get(0), eight.get(1)]).toEqual([
      1, 2, 0, 3, 10, 255,
    ])
  })

  it('overwrites a value without touching its neighbours', () => {
    const list = TokenStatusList.create({ size: 4, bits: 2, allowSmall: true })
    for (let i = 0; i < 4; i++) list.set(i, 3)
    list.set(2, TOKEN_STATUS.INVALID)
    expect([0, 1, 2, 3].map((i) => list.get(i))).toEqual([3, 3, 1, 3])
  })

  it('refuses values that do not fit, bad bits, sizes and indexes', () => {
    const list = TokenStatusList.create({ size: 8, bits: 2, allowSmall: true })
    expect(errorCode(() => list.set(0, 4))).toBe('invalid_value')
    expect(errorCode(() => list.set(0, -1))).toBe('invalid_value')
    expect(errorCode(() => list.set(0, 1.5))).toBe('invalid_value')
    expect(errorCode(() => list.get(8))).toBe('index_out_of_range')
    expect(errorCode(() => list.set(-1, 0))).toBe('index_out_of_range')
    expect(errorCode(() => TokenStatusList.create({ size: 8, bits: 3 as 1, allowSmall: true }))).toBe(
      'invalid_bits',
    )
    expect(errorCode(() => TokenStatusList.create({ size: 0, bits: 1, allowSmall: true }))).toBe(
      'invalid_size',
    )
    expect(errorCode(() => TokenStatusList.create({ size: 1000, bits: 1 }))).toBe('list_too_small')
    expect(TokenStatusList.create({ size: 10, bits: 4, allowSmall: true }).size).toBe(10)
    expect(TokenStatusList.create({ size: 9, bits: 4, allowSmall: true }).size).toBe(10)
  })

  it('round-trips 131,072 entries at every bit width', () => {
    for (const bits of [1, 2, 4, 8] as const) {
      const list = TokenStatusList.create({ size: MIN_LIST_ENTRIES, bits })
      const max = 2 ** bits - 1
      for (const i of [0, 1, 3, 4, 99, 65535, 131071]) list.set(i, i % (max + 1) || max)
      const encoded = encodeTokenStatusList(list)
      expect(encoded.bits).toBe(bits)
      expect(encoded.lst.startsWith('eN')).toBe(true) // zlib header 78 da
      const back = decodeTokenStatusList(encoded)
      expect(back.size).toBe(MIN_LIST_ENTRIES)
      expect(back.toBytes()).toEqual(list.toBytes())
    }
  })
})
