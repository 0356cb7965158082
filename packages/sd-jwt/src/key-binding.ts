import {
  type DecodedJwt,
  decodeJwt,
  type Failure,
  fail,
  jwkToPublicKey,
  MAX_SD_JWT_LENGTH,
  ok,
  type Result,
  verifySignature,
} from '@clavis/crypto'
import { digestOf } from './hashing'
import type { DecodedKeyBinding, DecodedSdJwtVc, KeyBinding, SdJwtFailureCode } from './types'

/**
 * Decodes the presentation's KB-JWT without checking it: `key_binding_missing` when there is none;
 * `malformed`, `unsupported_algorithm` (`alg` not ES256K or ES256) or `unexpected_header` (a header
 * parameter other than `alg` and `typ`) when it is not a strict JWS. Never throws.
 *
 * @example
 * const kb = decodeKeyBinding(decoded)
 * if (kb.ok) kb.value.payload.nonce
 */
export function decodeKeyBinding(
  decoded: DecodedSdJwtVc,
): Result<DecodedKeyBinding, Failure<SdJwtFailureCode>> {
  if (!decoded.keyBindingJwt) return fail('key_binding_missing', 'The presentation has no key-binding JWT.')
  const kb = decodeJwt({
    jwt: decoded.keyBindingJwt,
    maxLength: MAX_SD_JWT_LENGTH,
    headerParameters: ['alg', 'typ'],
    name: 'key-binding JWT',
  })
  if (!kb.ok) return fail(kb.error.code === 'too_large' ? 'malformed' : kb.error.code, kb.error.reason)
  return kb
}

/**
 * Checks the key binding's proof of possession: the credential's `cnf.jwk` is a usable EC key
 * (`malformed`), and the KB-JWT has `typ: 'kb+jwt'`, an `alg` of that key's curve, a signature by
 * it, `iat`, `aud`, `nonce` and an `sd_hash` over the presented SD-JWT (`key_binding_invalid`).
 * Whether `aud`, `nonce` and `iat` are what the verifier asked for is the verifier's check, on the
 * returned claims. Verify the issuer's signature (which covers `cnf`) first. Never throws.
 *
 * @example
 * const proof = checkKeyBinding({ credential: decoded, keyBinding: kb.value })
 * if (proof.ok) proof.value.claims.nonce
 */
export function checkKeyBinding(options: {
  credential: DecodedSdJwtVc
  keyBinding: DecodedJwt
}): Result<KeyBinding, Failure<SdJwtFailureCode>> {
  const { credential } = options
  const { header, payload, signingInput, signature } = options.keyBinding
  const holder = jwkToPublicKey(credential.payload.cnf?.jwk)
  if (!holder)
    return fail('malformed', 'The credential has no usable cnf.jwk, so no key binding can be checked.')
  if (header.typ !== 'kb+jwt') return fail('key_binding_invalid', 'The KB-JWT header typ must be "kb+jwt".')
  if (header.alg !== holder.alg)
    return fail('key_binding_invalid', 'The KB-JWT alg does not match the curve of cnf.jwk.')
  if (!verifySignature({ ...holder, data: signingInput, signature }))
    return fail('key_binding_invalid', 'The KB-JWT is not signed by the cnf.jwk key.')
  const { iat, aud, nonce, sd_hash } = payload
  if (
    !Number.isSafeInteger(iat) ||
    typeof aud !== 'string' ||
    typeof nonce !== 'string' ||
    typeof sd_hash !== 'string'
  )
    return fail('key_binding_invalid', 'The KB-JWT must carry iat, aud, nonce and sd_hash.')
  if (sd_hash !== digestOf(credential.sdHashInput))
    return fail('key_binding_invalid', 'The KB-JWT sd_hash does not match the presented SD-JWT.')
  const { kty, crv, x, y } = credential.payload.cnf!.jwk
  return ok({ holderJwk: { kty, crv, x, y }, claims: { aud, nonce, iat: iat as number } })
}
