import { describe, expect, it } from 'vitest'
import { base64urlDecode, base64urlJson, parseBase64urlJson } from './base64url'

describe('base64urlDecode (strict)', () => {
  it('decodes unpadded base64url', () => {
    expect(base64urlDecode('aGk')).toEqual(new Uint8Array([104, 105]))
    expect(base64urlDecode('_-8')).toEqual(new Uint8Array([0xff, 0xef]))
    expect(base64urlDecode('')).toEqual(new Uint8Array([]))
  })

  it('refuses padding, standard base64 characters, whitespace, non-ASCII and impossible lengths', () => {
    for (const text of ['aGk=', 'a+/b', 'aG k', 'aGkab', 'aGé', 'aG\u{1F600}'])
      expect(base64urlDecode(text), text).toBeUndefined()
  })

  it('refuses non-canonical encodings (non-zero trailing bits)', () => {
    expect(base64urlDecode('aGl')).toBeUndefined()
  })
})

describe('parseBase64urlJson', () => {
  it('parses any JSON value, and refuses invalid UTF-8 and trailing garbage', () => {
    expect(parseBase64urlJson(base64urlJson({ a: 1 }))).toEqual({ a: 1 })
    expect(parseBase64urlJson('WzFd')).toEqual([1])
    expect(parseBase64urlJson('_w')).toBeUndefined()
    expect(parseBase64urlJson('e30x')).toBeUndefined() // {}1
  })
})
