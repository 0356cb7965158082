import { describe, expect, it } from 'vitest'
import { errorCode as code } from '../test/kits/errors'
import { Bitstring } from './bitstring'
import { MIN_LIST_ENTRIES } from './limits'

describe('Bitstring', () => {
  it('puts index 0 in the most significant bit of byte 0 and index 7 in the least', () => {
    const list = Bitstring.create(16, { allowSmall: true })
    list.set(0, true)
    expect(list.toBytes()).toEqual(new Uint8Array([0x80, 0]))
    list.set(7, true)
    expect(list.toBytes()).toEqual(new Uint8Array([0x81, 0]))
    list.set(8, true)
    expect(list.toBytes()).toEqual(new Uint8Array([0x81, 0x80]))
    list.set(0, false)
    expect(list.toBytes()).toEqual(new Uint8Array([0x01, 0x80]))
    expect([list.get(0), list.get(7), list.get(8), list.get(9)]).toEqual([false, true, true, false])
  })

  it('creates lists of at least MIN_LIST_ENTRIES entries', () => {
    const list = Bitstring.create(MIN_LIST_ENTRIES)
    expect(list.size).toBe(131072)
    expect(list.toBytes().length).toBe(16384)
    list.set(131071, true)
    expect(list.get(131071)).toBe(true)
    expect(list.get(131070)).toBe(false)
  })

  it('refuses small, odd and non-integer sizes', () => {
    expect(code(() => Bitstring.create(MIN_LIST_ENTRIES - 8))).toBe('list_too_small')
    expect(code(() => Bitstring.create(12, { allowSmall: true }))).toBe('invalid_size')
    expect(code(() => Bitstring.create(0, { allowSmall: true }))).toBe('invalid_size')
    expect(code(() => Bitstring.create(8.5, { allowSmall: true }))).toBe('invalid_size')
    expect(code(() => Bitstring.fromBytes(new Uint8Array(0), { allowSmall: true }))).toBe('list_too_small')
    expect(code(() => Bitstring.fromBytes(new Uint8Array(16383)))).toBe('list_too_small')
  })

  it('refuses indexes out of range and non-boolean values', () => {
    const list = Bitstring.create(8, { allowSmall: true })
    for (const index of [-1, 8, 1.5, Number.NaN, 2 ** 53]) {
      expect(code(() => list.get(index))).toBe('index_out_of_range')
      expect(code(() => list.set(index, true))).toBe('index_out_of_range')
    }
    expect(code(() => list.set(0, 1 as unknown as boolean))).toBe('invalid_value')
  })

  it('copies bytes in and out', () => {
    const bytes = new Uint8Array([0xff])
    const list = Bitstring.fromBytes(bytes, { allowSmall: true })
    bytes[0] = 0
    expect(list.get(3)).toBe(true)
    list.toBytes()[0] = 0
    expect(list.get(3)).toBe(true)
  })
})
