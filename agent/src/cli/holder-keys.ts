import { chmodSync, writeFileSync } from 'node:fs'
import {
  base64urlDecode,
  base64urlEncode,
  createSigner,
  type EcPublicJwk,
  generatePrivateKey,
  type JwsAlgorithm,
  jwkToPublicKey,
  publicKeyOf,
  publicKeyToJwk,
  type Signer,
  toHex,
} from '@clavis/crypto'
import { CliError } from './errors'

/** A holder key as the CLI keeps it: a private EC JWK in a 0600 file. */
export interface HolderKey {
  alg: JwsAlgorithm
  signer: Signer
  jwk: EcPublicJwk
  /** For ES256K keys: the did:ethr of the key on the given chain (no transaction needed). */
  did: string | undefined
}

/** The public part of a JWK (refuses anything but an EC key). */
export function publicJwkOf(jwk: unknown): EcPublicJwk {
  const { kty, crv, x, y } = (jwk ?? {}) as EcPublicJwk
  if (!jwkToPublicKey({ kty, crv, x, y })) {
    throw CliError.usage('Not an EC public key JWK (secp256k1 or P-256); make one with clavis keygen.')
  }
  return { kty, crv, x, y }
}

/** Makes a new holder key and writes its private JWK to `path` with mode 0600. */
export function writeNewHolderKey(options: { alg: JwsAlgorithm; path: string; chainId: number }): HolderKey {
  const privateKey = generatePrivateKey(options.alg)
  const jwk = publicKeyToJwk({ alg: options.alg, publicKey: publicKeyOf(options.alg, privateKey) })
  writeFileSync(options.path, `${JSON.stringify({ ...jwk, d: base64urlEncode(privateKey) }, null, 2)}\n`, {
    mode: 0o600,
    flag: 'wx',
  })
  chmodSync(options.path, 0o600)
  return holderKeyOf({ jwk: { ...jwk, d: base64urlEncode(privateKey) }, chainId: options.chainId })
}

/** A holder key from a private JWK. */
export function holderKeyOf(options: { jwk: unknown; chainId: number }): HolderKey {
  const jwk = options.jwk as EcPublicJwk & { d?: string }
  const pub = jwkToPublicKey({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y })
  const d = typeof jwk.d === 'string' ? base64urlDecode(jwk.d) : undefined
  if (!pub || !d || d.length !== 32) {
    throw CliError.usage('The key file is not a private EC JWK; make one with clavis keygen.')
  }
  const compressed = publicKeyOf(pub.alg, d)
  const did =
    pub.alg === 'ES256K' ? `did:ethr:0x${options.chainId.toString(16)}:0x${toHex(compressed)}` : undefined
  return {
    alg: pub.alg,
    signer: createSigner({ alg: pub.alg, privateKey: d }),
    jwk: publicKeyToJwk({ alg: pub.alg, publicKey: compressed }),
    did,
  }
}

/** The did:ethr of a secp256k1 JWK (public or private) on a chain; undefined for P-256 keys. */
export function didOfJwk(options: { jwk: unknown; chainId: number }): string | undefined {
  const pub = jwkToPublicKey(publicJwkOf(options.jwk))!
  if (pub.alg !== 'ES256K') return undefined
  const compressed = new Uint8Array(33)
  compressed[0] = 2 + (pub.publicKey[64]! & 1)
  compressed.set(pub.publicKey.subarray(1, 33), 1)
  return `did:ethr:0x${options.chainId.toString(16)}:0x${toHex(compressed)}`
}
