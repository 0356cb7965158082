import { base64urlJson, randomBytes, sha256 } from '@clavis/crypto'
import { verifyByDidUrl } from '@clavis/verify'
import type { CallbackContext, Jwk, JwtSigner } from '@openid4vc/oauth2'
import type { Resolvable } from 'did-resolver'
import { base64url, CompactEncrypt, importJWK } from 'jose'
import { HolderError } from './errors'
import type { HolderKey } from './types'

const refuse = (what: string) => () => {
  throw new HolderError('request_invalid', `This wallet does not ${what} here.`)
}

/**
 * The crypto the OpenID4VC libraries ask of a wallet: SHA-256 and randomness from
 * `@clavis/crypto`; JWTs signed by the holder's key (only the DID URL of one of `keys`); JWTs of
 * others verified against the signer DID's current document, by `kid`, with an assertion or
 * authentication key of that DID. Responses are encrypted (ECDH-ES) when a verifier asks for it.
 */
export function walletCallbacks(options: {
  keys: readonly HolderKey[]
  resolver: Resolvable
  fetch?: typeof fetch | undefined
}): Omit<CallbackContext, 'clientAuthentication'> {
  return {
    hash: (data) => sha256(data),
    generateRandom: (length) => randomBytes(length),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    signJwt: async (signer: JwtSigner, { header, payload }) => {
      const key = options.keys.find((k) => signer.method === 'did' && k.kid === signer.didUrl)
      if (!key)
        throw new HolderError('request_invalid', 'Asked to sign with a key this wallet does not hold.')
      const input = `${base64urlJson(header)}.${base64urlJson(payload)}`
      return { jwt: `${input}.${await key.sign(input)}`, signerJwk: { ...key.jwk } as Jwk }
    },
    verifyJwt: async (signer: JwtSigner, jwt) => {
      if (signer.method !== 'did') return { verified: false }
      const key = await verifyByDidUrl({
        compact: jwt.compact,
        didUrl: signer.didUrl,
        alg: signer.alg,
        resolver: options.resolver,
        purposes: ['assertionMethod', 'authentication'],
      })
      return key ? { verified: true, signerJwk: {} as Jwk } : { verified: false }
    },
    // direct_post.jwt: the response encrypted to the verifier's key from its request (ECDH-ES).
    encryptJwe: async (encryptor, data) => {
      const alg = encryptor.alg ?? 'ECDH-ES'
      if (alg !== 'ECDH-ES')
        throw new HolderError('request_invalid', `This wallet encrypts with ECDH-ES, not ${alg}.`)
      const jwe = new CompactEncrypt(new TextEncoder().encode(data)).setProtectedHeader({
        alg,
        enc: encryptor.enc,
        ...(encryptor.publicJwk.kid ? { kid: encryptor.publicJwk.kid } : {}),
      })
      if (encryptor.apu || encryptor.apv)
        jwe.setKeyManagementParameters({
          ...(encryptor.apu ? { apu: base64url.decode(encryptor.apu) } : {}),
          ...(encryptor.apv ? { apv: base64url.decode(encryptor.apv) } : {}),
        })
      return {
        jwe: await jwe.encrypt(await importJWK(encryptor.publicJwk, alg)),
        encryptionJwk: encryptor.publicJwk,
      }
    },
    decryptJwe: refuse('decrypt'),
  }
}
