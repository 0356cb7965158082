import { describe, expect, it } from 'vitest'
import { decodeBase64urlStrict, decodeJsonSegment } from './base64url'

describe('decodeBase64urlStrict', () => {
  it('decodes unpadded base64url', () => {
    expect(decodeBase64urlStrict('aGk')).toEqual(new Uint8Array([104, 105]))
    expect(decodeBase64urlStrict('_-8')).toEqual(new Uint8Array([0xff, 0xef]))
    expect(decodeBase64urlStrict('')).toEqual(new Uint8Array([]))
  })

  it('refuses padding, standard base64 characters, whitespace and impossible lengths', () => {
    expect(decodeBase64urlStrict('aGk=')).toBeUndefined()
    expect(decodeBase64urlStrict('a+/b')).toBeUndefined()
    expect(decodeBase64urlStrict('aG k')).toBeUndefined()
    expect(decodeBase64urlStrict('aGkab')).toBeUndefined()
  })

  it('refuses non-canonical encodings (non-zero trailing bits)', () => {
    expect(decodeBase64urlStrict('aGl')).toBeUndefined()
  })
})

describe('decodeJsonSegment', () => {
  it('returns plain objects only', () => {
    expect(decodeJsonSegment('eyJhIjoxfQ')).toEqual({ a: 1 })
    expect(decodeJsonSegment('WzFd')).toBeUndefined() // [1]
    expect(decodeJsonSegment('bnVsbA')).toBeUndefined() // null
    expect(decodeJsonSegment('e30x')).toBeUndefined() // {}1
  })

  it('refuses invalid UTF-8', () => {
    expect(decodeJsonSegment('_w')).toBeUndefined()
  })
})
