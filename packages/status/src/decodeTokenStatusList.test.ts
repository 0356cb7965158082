import { base64urlEncode } from '@clavis/crypto'
import { zlibSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { errorCode } from '../test/kits/errors'
import { decodeTokenStatusList } from './decodeTokenStatusList'

const lst = (bytes: Uint8Array) => base64urlEncode(bytes)

describe('decodeTokenStatusList', () => {
  it('reads node:zlib output', async () => {
    const { deflateSync } = await import('node:zlib')
    const list = decodeTokenStatusList(
      { bits: 2, lst: lst(deflateSync(new Uint8Array([0xc9, 0x44, 0xf9]))) },
      { allowSmall: true },
    )
    expect([0, 1, 2, 3].map((i) => list.get(i))).toEqual([1, 2, 0, 3])
    for (const level of [0, 1, 6, 9]) {
      const bytes = new Uint8Array(20000).map((_, i) => (i * 7919) & 0xff)
      expect(
        decodeTokenStatusList(
          { bits: 8, lst: lst(deflateSync(bytes, { level })) },
          { allowSmall: true },
        ).toBytes(),
      ).toEqual(bytes)
    }
  })

  it('refuses bad bits, bad base64url and bad ZLIB', () => {
    const good = zlibSync(new Uint8Array(16384))
    expect(errorCode(() => decodeTokenStatusList({ bits: 3, lst: lst(good) }))).toBe('invalid_bits')
    expect(errorCode(() => decodeTokenStatusList({ bits: '1', lst: lst(good) }))).toBe('invalid_bits')
    expect(errorCode(() => decodeTokenStatusList({ bits: 1, lst: 5 }))).toBe('malformed')
    expect(errorCode(() => decodeTokenStatusList(null as never))).toBe('malformed')
    expect(errorCode(() => decodeTokenStatusList({ bits: 1, lst: `${lst(good)}=` }))).toBe(
      'invalid_base64url',
    )
    const badAdler = good.slice()
    badAdler[badAdler.length - 1]! ^= 1
    const dict = good.slice()
    dict[1] = 0xbb // FDICT set, still a multiple of 31? refused either way
    for (const bad of [
      new Uint8Array([0x78]),
      badAdler,
      dict,
      new Uint8Array([...good, 0]),
      new Uint8Array([...good, ...good.slice(-4)]), // data between the DEFLATE end and the Adler-32
      good.slice(0, good.length - 2),
      new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]),
    ]) {
      expect(errorCode(() => decodeTokenStatusList({ bits: 1, lst: lst(bad) }))).toBe('invalid_compression')
    }
  })

  it('stops decompression bombs and small lists', () => {
    const bomb = zlibSync(new Uint8Array(17 * 1024 * 1024), { level: 9 })
    expect(errorCode(() => decodeTokenStatusList({ bits: 8, lst: lst(bomb) }))).toBe('too_large')
    expect(
      errorCode(() =>
        decodeTokenStatusList({ bits: 1, lst: lst(zlibSync(new Uint8Array(2048))) }, { maxBytes: 1024 }),
      ),
    ).toBe('too_large')
    // 131,072 entries at 8 bits = 128 KiB; 16 KiB is enough only at 1 bit.
    expect(
      errorCode(() => decodeTokenStatusList({ bits: 8, lst: lst(zlibSync(new Uint8Array(16384))) })),
    ).toBe('list_too_small')
    expect(decodeTokenStatusList({ bits: 1, lst: lst(zlibSync(new Uint8Array(16384))) }).size).toBe(131072)
    expect(
      errorCode(() =>
        decodeTokenStatusList({ bits: 1, lst: lst(zlibSync(new Uint8Array(0))) }, { allowSmall: true }),
      ),
    ).toBe('list_too_small')
  })
})
