import { readFileSync } from 'node:fs'
import { jwkToPublicKey, verifySignature } from '@clavis/crypto'
import { describe, expect, it } from 'vitest'
import { decodeStatusListJwt } from './decodeStatusListJwt'
import { decodeTokenStatusList } from './decodeTokenStatusList'
import { encodeTokenStatusList } from './encodeTokenStatusList'

// Vectors from oauth-wg/draft-ietf-oauth-status-list (examples/ and the draft text), copied unchanged
// into test/fixtures/token-status-list (see its README.md).
const dir = new URL('../test/fixtures/token-status-list/', import.meta.url)
const read = (name: string) => readFileSync(new URL(name, dir), 'utf8')

/** The JSON object in an example file (the generator wraps long strings with line breaks and indentation). */
function exampleJson(name: string): { bits: number; lst: string } {
  const text = read(name)
  return JSON.parse(text.slice(text.indexOf('{')).replace(/\s+/g, ''))
}

/** `byte_array = [0xb9, 0xa3]` from the short example files. */
function exampleBytes(name: string): number[] {
  const match = /byte_array = \[([^\]]*)\]/.exec(read(name))
  return match![1]!.split(',').map((h) => Number.parseInt(h.trim(), 16))
}

/** `status[i] = 0b…` lines of the first ~~~ block after `heading` in the draft: index → value. */
function draftTable(heading: string): Map<number, number> {
  const draft = read('draft-ietf-oauth-status-list.md')
  const start = draft.indexOf(heading)
  expect(start).toBeGreaterThan(0)
  const block = /~~~[^\n]*\n([\s\S]*?)~~~/.exec(draft.slice(start))![1]!
  const table = new Map<number, number>()
  for (const m of block.matchAll(/^status\[(\d+)\]\s*=\s*0b([01]+)\s*$/gm))
    table.set(Number(m[1]), Number.parseInt(m[2]!, 2))
  return table
}

const cases = [
  {
    file: 'status_list_encoding_json.md',
    heading: '## Compressed Byte Array',
    bits: 1,
    entries: 16,
    size: 16,
  },
  {
    file: 'status_list_encoding2_json.md',
    heading: 'requiring 3 bytes (24 bits)',
    bits: 2,
    entries: 12,
    size: 12,
  },
  {
    file: 'status_list_encoding1_long_json.md',
    heading: '## 1-bit Status List',
    bits: 1,
    entries: 11,
    size: 2 ** 20,
  },
  {
    file: 'status_list_encoding2_long_json.md',
    heading: '## 2-bit Status List',
    bits: 2,
    entries: 11,
    size: 2 ** 20,
  },
  {
    file: 'status_list_encoding4_json.md',
    heading: '## 4-bit Status List',
    bits: 4,
    entries: 15,
    size: 2 ** 20,
  },
  {
    file: 'status_list_encoding8_json.md',
    heading: '## 8-bit Status List',
    bits: 8,
    entries: 256,
    size: 2 ** 20,
  },
]

describe('IETF Token Status List examples', () => {
  it.each(cases)('$file decodes to the draft table', ({ file, heading, bits, entries, size }) => {
    const table = draftTable(heading)
    expect(table.size).toBe(entries)
    const encoded = exampleJson(file)
    expect(encoded.bits).toBe(bits)
    const list = decodeTokenStatusList(encoded, { allowSmall: size < 131072 })
    expect(list.size).toBe(size)
    // Every entry equals the table; every entry not in the table is 0 (VALID), as the draft says.
    const mismatches: string[] = []
    for (let i = 0; i < list.size; i++) {
      const value = list.get(i)
      if (value !== (table.get(i) ?? 0)) mismatches.push(`status[${i}] = ${value}, want ${table.get(i) ?? 0}`)
    }
    expect(mismatches).toEqual([])
    expect([...table].every(([i, v]) => list.get(i) === v)).toBe(true)
    // Re-encoding our list and decoding it again gives the same values.
    const again = decodeTokenStatusList(encodeTokenStatusList(list), { allowSmall: true })
    expect(again.bits).toBe(bits)
    expect(again.toBytes()).toEqual(list.toBytes())
  })

  it('short examples match their byte arrays', () => {
    expect([
      ...decodeTokenStatusList(exampleJson('status_list_encoding_json.md'), { allowSmall: true }).toBytes(),
    ]).toEqual(exampleBytes('status_list_encoding_json.md'))
    expect([
      ...decodeTokenStatusList(exampleJson('status_list_encoding2_json.md'), { allowSmall: true }).toBytes(),
    ]).toEqual(exampleBytes('status_list_encoding2_json.md'))
  })

  it('the signed Status List Token verifies with issuer-key.json and decodes to its table', () => {
    const jwt = read('status_list_jwt_raw.md').replace(/\s+/g, '')
    const key = jwkToPublicKey(JSON.parse(read('issuer-key.json')))
    expect(key?.alg).toBe('ES256')
    const decoded = decodeStatusListJwt(jwt, { allowSmall: true })
    expect(decoded.header).toEqual({ alg: 'ES256', kid: '12', typ: 'statuslist+jwt' })
    expect(
      verifySignature({
        alg: 'ES256',
        publicKey: key!.publicKey,
        data: decoded.signingInput,
        signature: decoded.signature,
      }),
    ).toBe(true)
    const tampered = decoded.signingInput.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))
    expect(
      verifySignature({
        alg: 'ES256',
        publicKey: key!.publicKey,
        data: tampered,
        signature: decoded.signature,
      }),
    ).toBe(false)
    // The readable example (status_list_jwt.md) shows the same header and claims, less `iss`.
    const [header, claims] = read('status_list_jwt.md')
      .split(/^\.$/m)
      .map((part) => JSON.parse(part))
    expect(decoded.header).toEqual(header)
    expect(decoded.payload).toEqual({ ...claims, iss: 'https://example.com' })
    expect(decoded).toMatchObject({
      kind: 'token',
      issuer: 'https://example.com',
      uri: 'https://example.com/statuslists/1',
      issuedAt: new Date(1686920170 * 1000),
      expiresAt: new Date(2291720170 * 1000),
      ttlSeconds: 43200,
      size: 16,
      bits: 1,
    })
    const table = draftTable('## Compressed Byte Array')
    for (let i = 0; i < 16; i++) expect(decoded.read(i), `status[${i}]`).toBe(table.get(i))
    expect(() => decodeStatusListJwt(jwt)).toThrow(/herd privacy/)
  })
})
