import { describe, expect, it } from 'vitest'
import { sha256 } from './hash'
import { sha256Bytes as nobleSha256 } from './sha256-noble'
import { sha256Bytes as nodeSha256 } from './sha256-node'

describe('SHA-256 on Node (OpenSSL) and in the browser (noble)', () => {
  it('agree on every length around the block sizes, and on the FIPS 180-2 vector', () => {
    for (let n = 0; n < 300; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff)
      expect(nodeSha256(data)).toEqual(nobleSha256(data))
    }
    expect(Buffer.from(sha256('abc')).toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
    expect(sha256('abc')).toBeInstanceOf(Uint8Array)
    expect(Buffer.isBuffer(sha256('abc'))).toBe(false)
  })
})
