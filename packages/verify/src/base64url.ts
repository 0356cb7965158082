const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const VALUES: ReadonlyMap<string, number> = new Map([...ALPHABET].map((char, index) => [char, index]))

/**
 * Decodes unpadded base64url strictly: only the URL-safe alphabet, no padding, no whitespace, and
 * canonical (unused trailing bits must be zero). Returns `undefined` for anything else.
 *
 * @example
 * decodeBase64urlStrict('aGk') // Uint8Array [104, 105]
 * decodeBase64urlStrict('aGk=') // undefined
 */
export function decodeBase64urlStrict(input: string): Uint8Array | undefined {
  if (input.length % 4 === 1) return undefined
  const bytes = new Uint8Array(Math.floor((input.length * 6) / 8))
  let buffer = 0
  let bits = 0
  let offset = 0
  for (const char of input) {
    const value = VALUES.get(char)
    if (value === undefined) return undefined
    buffer = ((buffer << 6) | value) & 0xfff
    bits += 6
    if (bits >= 8) {
      bits -= 8
      bytes[offset++] = (buffer >> bits) & 0xff
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) return undefined
  return bytes
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

/**
 * Decodes a base64url segment holding a UTF-8 JSON object. Returns `undefined` when the segment is
 * not strict base64url, not valid UTF-8, not JSON, or not a plain object.
 *
 * @example
 * decodeJsonSegment('eyJhIjoxfQ') // { a: 1 }
 */
export function decodeJsonSegment(segment: string): Record<string, unknown> | undefined {
  const bytes = decodeBase64urlStrict(segment)
  if (!bytes) return undefined
  try {
    const value: unknown = JSON.parse(utf8.decode(bytes))
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
    return value as Record<string, unknown>
  } catch {
    return undefined
  }
}
