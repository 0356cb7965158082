// Helpers that take presentations apart and put them back together, for negative tests.
import type { Signer } from '@clavis/crypto'
import {
  base64urlEncode,
  base64urlJson,
  parseBase64urlJson,
  sha256,
  signJwt as signCompactJwt,
} from '@clavis/crypto'

export interface Parts {
  jwt: string
  disclosures: string[]
  kb: string
}

export function split(presentation: string): Parts {
  const segments = presentation.split('~')
  return { jwt: segments[0]!, disclosures: segments.slice(1, -1), kb: segments[segments.length - 1]! }
}

/** The SD-JWT without KB (ends with `~`). */
export function sdJwtOf(parts: Pick<Parts, 'jwt' | 'disclosures'>): string {
  return [parts.jwt, ...parts.disclosures, ''].join('~')
}

export function join(parts: Parts): string {
  return sdJwtOf(parts) + parts.kb
}

export function decodeSegment(segment: string): Record<string, unknown> {
  return parseBase64urlJson(segment) as Record<string, unknown>
}

/** A JWT with the given header and payload, signed by `signer` (or carrying `signature` as is). */
export async function signJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  signer: Signer | { signature: string },
): Promise<string> {
  if (typeof signer === 'function') return signCompactJwt({ header, payload, signer })
  return `${base64urlJson(header)}.${base64urlJson(payload)}.${signer.signature}`
}

/** A fresh KB-JWT over `sdJwt` (header and payload overridable). */
export async function keyBindingFor(
  sdJwt: string,
  signer: Signer,
  options: {
    alg: string
    nonce: string
    aud: string
    iat?: number
    header?: Record<string, unknown>
    payload?: Record<string, unknown>
  },
): Promise<string> {
  const header = { alg: options.alg, typ: 'kb+jwt', ...options.header }
  const payload = {
    iat: options.iat ?? Math.floor(Date.now() / 1000),
    aud: options.aud,
    nonce: options.nonce,
    sd_hash: base64urlEncode(sha256(sdJwt)),
    ...options.payload,
  }
  return signJwt(header, payload, signer)
}

/** Re-signs the KB-JWT of tampered parts, so that only the tampering itself can be caught. */
export async function withFreshKeyBinding(
  parts: Pick<Parts, 'jwt' | 'disclosures'>,
  signer: Signer,
  options: { alg: string; nonce: string; aud: string },
): Promise<string> {
  const sdJwt = sdJwtOf(parts)
  return sdJwt + (await keyBindingFor(sdJwt, signer, options))
}

/** A disclosure `[salt, name, value]` encoded like the library does. */
export function encodeDisclosure(item: unknown[]): string {
  return base64urlJson(item)
}

/** Changes one character in the middle of a base64url string. */
export function flipChar(text: string, at = Math.floor(text.length / 2)): string {
  const c = text[at] === 'A' ? 'B' : 'A'
  return text.slice(0, at) + c + text.slice(at + 1)
}
