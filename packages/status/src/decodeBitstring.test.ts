import { base64urlEncode } from '@clavis/crypto'
import { gzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { errorCode } from '../test/kits/errors'
import { Bitstring } from './bitstring'
import { decodeBitstring } from './decodeBitstring'
import { encodeBitstring } from './encodeBitstring'
import { MIN_LIST_ENTRIES } from './limits'

const u = (bytes: Uint8Array) => `u${base64urlEncode(bytes)}`

describe('encodeBitstring / decodeBitstring', () => {
  it('round-trips a 131,072-entry list', () => {
    const list = Bitstring.create(MIN_LIST_ENTRIES)
    for (const i of [0, 1, 7, 8, 4095, 65536, 131071]) list.set(i, true)
    const encoded = encodeBitstring(list)
    expect(encoded.startsWith('uH4sI')).toBe(true)
    const back = decodeBitstring(encoded)
    expect(back.size).toBe(MIN_LIST_ENTRIES)
    expect(back.toBytes()).toEqual(list.toBytes())
    expect(encodeBitstring(back)).toBe(encoded) // deterministic (MTIME 0)
  })

  it('reads what a standard GZIP produces (node:zlib)', async () => {
    const { gzipSync: nodeGzip } = await import('node:zlib')
    const bytes = new Uint8Array(16384)
    bytes[0] = 0x80
    const list = decodeBitstring(u(nodeGzip(bytes)))
    expect(list.get(0)).toBe(true)
    expect(list.get(1)).toBe(false)
  })

  it('refuses other multibase encodings and bad base64url', () => {
    const good = encodeBitstring(Bitstring.create(MIN_LIST_ENTRIES))
    expect(errorCode(() => decodeBitstring(`z${good.slice(1)}`))).toBe('unsupported_multibase')
    expect(errorCode(() => decodeBitstring(good.slice(1)))).toBe('unsupported_multibase')
    expect(errorCode(() => decodeBitstring(''))).toBe('unsupported_multibase')
    expect(errorCode(() => decodeBitstring(`${good}=`))).toBe('invalid_base64url')
    expect(errorCode(() => decodeBitstring('uH4s+AAA'))).toBe('invalid_base64url')
  })

  it('refuses data that is not a single valid GZIP member', () => {
    const bytes = gzipSync(new Uint8Array(16384))
    const flipped = bytes.slice()
    flipped[flipped.length - 8]! ^= 1 // CRC
    const wrongLength = bytes.slice()
    wrongLength[wrongLength.length - 1]! ^= 1
    const twoMembers = new Uint8Array([...bytes, ...bytes])
    for (const bad of [
      new Uint8Array([1, 2, 3]),
      bytes.slice(0, bytes.length - 3),
      flipped,
      wrongLength,
      twoMembers,
      new Uint8Array([...bytes, 0]),
      new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0]),
    ]) {
      expect(errorCode(() => decodeBitstring(u(bad)))).toBe('invalid_compression')
    }
  })

  it('stops decompression bombs at maxBytes', () => {
    const bomb = gzipSync(new Uint8Array(17 * 1024 * 1024), { level: 9 })
    expect(bomb.length).toBeLessThan(40_000)
    expect(errorCode(() => decodeBitstring(u(bomb)))).toBe('too_large')
    const small = gzipSync(new Uint8Array(32768))
    expect(errorCode(() => decodeBitstring(u(small), { maxBytes: 16384 }))).toBe('too_large')
    expect(decodeBitstring(u(small), { maxBytes: 32768 }).size).toBe(262144)
    expect(errorCode(() => decodeBitstring(`u${'A'.repeat(30_000)}`, { maxBytes: 16384 }))).toBe('too_large')
    expect(errorCode(() => decodeBitstring(u(small), { maxBytes: 0 }))).toBe('invalid_options')
  })

  it('refuses lists under MIN_LIST_ENTRIES unless allowSmall', () => {
    const encoded = encodeBitstring(Bitstring.create(16, { allowSmall: true }))
    expect(errorCode(() => decodeBitstring(encoded))).toBe('list_too_small')
    expect(decodeBitstring(encoded, { allowSmall: true }).size).toBe(16)
    expect(errorCode(() => decodeBitstring(u(gzipSync(new Uint8Array(0)))))).toBe('list_too_small')
  })
})
