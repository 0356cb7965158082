// Node only: chosen for the `#sha256` import by the `node` condition (package.json), never bundled
// for a browser; biome.json allows node: imports in this file (ADR 0021).
import { createHash } from 'node:crypto'

/** SHA-256 with OpenSSL: 5× faster than JavaScript on a kilobyte (a presentation's `sd_hash`). */
export function sha256Bytes(data: Uint8Array): Uint8Array {
  // A plain Uint8Array, as the browser's is, not a Buffer (whose slice shares memory).
  return Uint8Array.from(createHash('sha256').update(data).digest())
}
