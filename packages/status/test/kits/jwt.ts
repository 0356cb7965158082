import { base64urlEncode, base64urlJson } from '@clavis/crypto'

/** Test helper: an unsigned compact JWS with a dummy 64-byte signature. */
export function fakeJwt(header: unknown, payload: unknown): string {
  return `${base64urlJson(header)}.${base64urlJson(payload)}.${base64urlEncode(new Uint8Array(64).fill(1))}`
}
