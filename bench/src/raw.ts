import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto'
import { secp256k1 } from '@noble/curves/secp256k1'
import { sha256 } from '@noble/hashes/sha256'
import { type BenchResult, medianOpsPerSec } from './measure'

/** The raw operations the Clavis benchmarks are compared with, ops/s. */
export interface RawRates {
  nobleSign: number
  nobleVerify: number
  opensslSign: number
  opensslVerify: number
  /** One raw OpenSSL verification (the baseline operation), to measure again beside an operation. */
  opensslVerifyOnce: () => boolean
}

/**
 * Raw secp256k1 sign and verify, with `@noble/curves` (what issuance signs with) and with Node's
 * OpenSSL (what verification uses on Node since ADR 0021), one key, SHA-256 over a JWS-sized
 * input. The OpenSSL baselines use key objects made once, as the verifier caches them.
 *
 * @example
 * const raw = await measureRaw({ progress, results })
 */
export async function measureRaw(options: {
  progress: (m: string) => void
  results: BenchResult[]
}): Promise<RawRates> {
  const { progress, results } = options
  const data = new TextEncoder().encode(`eyJhbGciOiJFUzI1NksifQ.${'x'.repeat(900)}`)
  const priv = secp256k1.utils.randomPrivateKey()
  const pub = secp256k1.getPublicKey(priv)
  const hash = sha256(data)
  const nobleSig = secp256k1.sign(hash, priv).toCompactRawBytes()

  progress('raw secp256k1 sign and verify (@noble/curves)')
  const nobleSign = await medianOpsPerSec({ op: () => secp256k1.sign(hash, priv), roundMs: 400 })
  const nobleVerify = await medianOpsPerSec({
    op: () => secp256k1.verify(nobleSig, hash, pub),
    roundMs: 400,
  })
  results.push({ name: 'raw-secp256k1-sign', opsPerSec: nobleSign, baseline: null, ratio: null })
  results.push({ name: 'raw-secp256k1-verify', opsPerSec: nobleVerify, baseline: null, ratio: null })

  progress('raw secp256k1 sign and verify (OpenSSL, node:crypto)')
  const d = Buffer.from(priv).toString('base64url')
  const uncompressed = secp256k1.getPublicKey(priv, false)
  const jwk = {
    kty: 'EC',
    crv: 'secp256k1',
    x: Buffer.from(uncompressed.subarray(1, 33)).toString('base64url'),
    y: Buffer.from(uncompressed.subarray(33)).toString('base64url'),
  }
  const signKey = {
    key: createPrivateKey({ key: { ...jwk, d }, format: 'jwk' }),
    dsaEncoding: 'ieee-p1363' as const,
  }
  const verifyKey = { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' as const }
  const opensslSig = sign('sha256', data, signKey)
  if (!verify('sha256', data, verifyKey, opensslSig)) throw new Error('OpenSSL baseline did not verify')
  const opensslSign = await medianOpsPerSec({ op: () => sign('sha256', data, signKey), roundMs: 400 })
  const opensslVerify = await medianOpsPerSec({
    op: () => verify('sha256', data, verifyKey, opensslSig),
    roundMs: 400,
  })
  results.push({ name: 'raw-openssl-secp256k1-sign', opsPerSec: opensslSign, baseline: null, ratio: null })
  results.push({
    name: 'raw-openssl-secp256k1-verify',
    opsPerSec: opensslVerify,
    baseline: null,
    ratio: null,
  })
  return {
    nobleSign,
    nobleVerify,
    opensslSign,
    opensslVerify,
    opensslVerifyOnce: () => verify('sha256', data, verifyKey, opensslSig),
  }
}
