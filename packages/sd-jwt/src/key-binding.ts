import type { JwsAlgorithm } from '@clavis/crypto'
import { verifySignature } from '@clavis/crypto'
import { isAllowedAlgorithm } from './algorithms'
import { digestOf } from './hashing'
import type { DecodedSdJwtVc, SdJwtFailureCode } from './types'

/** Longest a KB-JWT stays acceptable after its `iat`, in seconds. */
export const KEY_BINDING_MAX_AGE_SECONDS = 300

/** What {@link checkKeyBinding} needs besides the decoded presentation. */
export interface KeyBindingExpectations {
  holder: { alg: JwsAlgorithm; publicKey: Uint8Array }
  nonce: string | undefined
  audience: string | undefined
  nowSeconds: number
  skewSeconds: number
}

/** The checked key binding, or the failure. */
export type KeyBindingCheck =
  | { ok: true; nonce: string; audience: string; issuedAt: Date }
  | { ok: false; code: SdJwtFailureCode; reason: string }

const KB_HEADER_PARAMS: ReadonlySet<string> = new Set(['alg', 'typ'])

/**
 * Checks a KB-JWT: header `{ alg, typ: 'kb+jwt' }` only, alg allowed and matching `cnf.jwk`,
 * signature by `cnf.jwk`, `sd_hash` over the presented SD-JWT, nonce, audience, and `iat` no
 * later than now + skew and no older than 5 minutes (+ skew).
 */
export function checkKeyBinding(decoded: DecodedSdJwtVc, expect: KeyBindingExpectations): KeyBindingCheck {
  const kb = decoded.keyBindingJwt
  if (!kb) return fail('key_binding_missing', 'The presentation has no key-binding JWT.')
  const { header, payload } = kb
  if (!isAllowedAlgorithm(header.alg))
    return fail('unsupported_algorithm', 'KB-JWT alg must be ES256K or ES256.')
  if (Object.keys(header).some((k) => !KB_HEADER_PARAMS.has(k)) || header.typ !== 'kb+jwt')
    return fail('key_binding_invalid', 'KB-JWT header must be exactly { alg, typ: "kb+jwt" }.')
  if (header.alg !== expect.holder.alg)
    return fail('key_binding_invalid', 'KB-JWT alg does not match the cnf.jwk curve.')
  if (!verifySignature({ ...expect.holder, data: kb.signingInput, signature: kb.signature }))
    return fail('key_binding_invalid', 'KB-JWT is not signed by the cnf.jwk key.')
  const { iat, aud, nonce, sd_hash } = payload
  if (
    !Number.isSafeInteger(iat) ||
    typeof aud !== 'string' ||
    typeof nonce !== 'string' ||
    typeof sd_hash !== 'string'
  )
    return fail('key_binding_invalid', 'KB-JWT must carry iat, aud, nonce and sd_hash.')
  if (sd_hash !== digestOf(decoded.sdHashInput))
    return fail('key_binding_invalid', 'KB-JWT sd_hash does not match the presented SD-JWT.')
  if (expect.nonce === undefined)
    return fail('nonce_mismatch', 'No expected nonce given; pass options.nonce.')
  if (nonce !== expect.nonce) return fail('nonce_mismatch', 'KB-JWT nonce is not the one asked for.')
  if (expect.audience === undefined)
    return fail('audience_mismatch', 'No expected audience given; pass options.audience.')
  if (aud !== expect.audience) return fail('audience_mismatch', 'KB-JWT aud is not this verifier.')
  const issuedAt = iat as number
  if (issuedAt > expect.nowSeconds + expect.skewSeconds)
    return fail('key_binding_stale', 'KB-JWT iat is in the future.')
  if (expect.nowSeconds - issuedAt > KEY_BINDING_MAX_AGE_SECONDS + expect.skewSeconds)
    return fail('key_binding_stale', 'KB-JWT is older than 5 minutes; ask for a fresh presentation.')
  return { ok: true, nonce, audience: aud, issuedAt: new Date(issuedAt * 1000) }
}

function fail(code: SdJwtFailureCode, reason: string): KeyBindingCheck {
  return { ok: false, code, reason }
}
