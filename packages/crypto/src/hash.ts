import { keccak_256 } from '@noble/hashes/sha3'
import { sha256Bytes } from '#sha256'
import { utf8 } from './base64url'
import { toHex } from './keys'

/** SHA-256 of bytes or a UTF-8 string (OpenSSL on Node, `@noble/hashes` in a browser). */
export function sha256(data: Uint8Array | string): Uint8Array {
  return sha256Bytes(typeof data === 'string' ? utf8(data) : data)
}

/** The checksum-free lower-case Ethereum address of an uncompressed secp256k1 public key. */
export function ethereumAddressOf(uncompressedPublicKey: Uint8Array): string {
  return `0x${toHex(keccak_256(uncompressedPublicKey.slice(1)).slice(-20))}`
}

/** Cryptographically random bytes (Web Crypto; Node ≥ 20 and browsers). */
export function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length)
  globalThis.crypto.getRandomValues(out)
  return out
}
