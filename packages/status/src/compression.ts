import { gzipSync, Inflate, zlibSync } from 'fflate'
import { adler32, crc32 } from './checksums'
import { StatusListError } from './errors'

const CHUNK = 4096

/** GZIP (RFC 1952) with maximum compression and a zero MTIME, so output is deterministic. */
export function gzip(bytes: Uint8Array): Uint8Array {
  const out = gzipSync(bytes, { level: 9 })
  out.fill(0, 4, 8) // MTIME 0 = "no time stamp" (RFC 1952 §2.3.1)
  return out
}

/** ZLIB (RFC 1950) DEFLATE with maximum compression, as the Token Status List draft recommends. */
export function zlib(bytes: Uint8Array): Uint8Array {
  return zlibSync(bytes, { level: 9 })
}

function bad(message: string, cause?: unknown): StatusListError {
  return new StatusListError('invalid_compression', message, { cause })
}

/**
 * Inflates raw DEFLATE in small chunks, stopping as soon as the output passes `maxBytes`, so a
 * decompression bomb never materialises in memory.
 */
function inflateBounded(body: Uint8Array, maxBytes: number): Uint8Array {
  const parts: Uint8Array[] = []
  let total = 0
  const tooLarge = new StatusListError('too_large', `Decompressed list exceeds ${maxBytes} bytes.`)
  const inflater = new Inflate((chunk) => {
    total += chunk.length
    if (total > maxBytes) throw tooLarge
    parts.push(chunk)
  })
  try {
    for (let i = 0; i < body.length; i += CHUNK) {
      inflater.push(body.subarray(i, i + CHUNK), i + CHUNK >= body.length)
    }
    if (body.length === 0) inflater.push(new Uint8Array(0), true)
  } catch (e) {
    if (e === tooLarge) throw e
    throw bad('The list is not valid DEFLATE data.', e)
  }
  // The DEFLATE stream must end exactly where the trailer starts: no data hidden in between (a
  // second GZIP member, padding). fflate 0.8 (pinned) keeps the unread input in `p` and the bit
  // position in `s.p` once the final block is done; the trailing-data tests guard this.
  const state = inflater as unknown as { s: { f?: number; p?: number }; p: Uint8Array }
  if (!state.s.f || state.p.length !== ((state.s.p ?? 0) + 7) >> 3) {
    throw bad('The list has data after the end of its DEFLATE stream.')
  }
  const out = new Uint8Array(total)
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

function readUint32(bytes: Uint8Array, at: number, littleEndian: boolean): number {
  return new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0, littleEndian)
}

/**
 * Decompresses one GZIP member with a size cap. Checks the header, the CRC-32 and the length in
 * the trailer (which also refuses trailing data and further members).
 */
export function gunzipBounded(data: Uint8Array, maxBytes: number): Uint8Array {
  if (data.length < 18 || data[0] !== 0x1f || data[1] !== 0x8b || data[2] !== 8) {
    throw bad('The list is not GZIP data.')
  }
  const flags = data[3]!
  if (flags & 0xe0) throw bad('The GZIP header has reserved flags set.')
  let at = 10
  if (flags & 4) at += 2 + (data[10]! | (data[11]! << 8))
  for (const flag of [8, 16]) {
    if (flags & flag) {
      while (at < data.length && data[at] !== 0) at++
      at++
    }
  }
  if (flags & 2) at += 2
  if (at > data.length - 8) throw bad('The GZIP data is truncated.')
  const out = inflateBounded(data.subarray(at, data.length - 8), maxBytes)
  if (readUint32(data, data.length - 8, true) !== crc32(out)) throw bad('The GZIP checksum does not match.')
  if (readUint32(data, data.length - 4, true) !== out.length >>> 0)
    throw bad('The GZIP length does not match.')
  return out
}

/**
 * Decompresses ZLIB data with a size cap. Checks the header (DEFLATE, no preset dictionary) and the
 * Adler-32 trailer (which also refuses trailing data).
 */
export function unzlibBounded(data: Uint8Array, maxBytes: number): Uint8Array {
  if (data.length < 6) throw bad('The list is not ZLIB data.')
  const cmf = data[0]!
  const flg = data[1]!
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0 || flg & 0x20) {
    throw bad('The list is not ZLIB data.')
  }
  const out = inflateBounded(data.subarray(2, data.length - 4), maxBytes)
  if (readUint32(data, data.length - 4, false) !== adler32(out))
    throw bad('The ZLIB checksum does not match.')
  return out
}
