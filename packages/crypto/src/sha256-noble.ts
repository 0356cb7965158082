import { sha256 } from '@noble/hashes/sha256'

/** SHA-256 in JavaScript (`@noble/hashes`), for the browser. */
export function sha256Bytes(data: Uint8Array): Uint8Array {
  return sha256(data)
}
