import type { JwsAlgorithm, Signer } from '@clavis/crypto'
import { isAllowedJwsAlgorithm, jwkToPublicKey, verifySignature } from '@clavis/crypto'
import { getClaims, listKeys, type PresentationFrame, SDJWTException, SDJwtInstance } from '@sd-jwt/core'
import { decodeSdJwtVc } from './decode'
import { toDisclosure } from './disclosures'
import { SdJwtError } from './errors'
import { sdHasher } from './hashing'
import type { DecodedSdJwtVc } from './types'

/** Options of {@link presentSdJwtVc}. */
export interface PresentSdJwtVcOptions {
  /** The SD-JWT VC as issued (no KB-JWT). */
  credential: string
  /** Claims to disclose: top-level names, or dotted paths for nested ones (`address.city`, `list.0`). */
  disclose: readonly string[]
  keyBinding: {
    alg: JwsAlgorithm
    /** Signs with the holder key, the one in the credential's `cnf.jwk`. */
    signer: Signer
    nonce: string
    audience: string
    issuedAt?: Date
  }
}

/**
 * Makes a presentation: the issuer-signed JWT, the disclosures for `disclose`, and a KB-JWT
 * (`typ: 'kb+jwt'`, `iat`, `aud`, `nonce`, `sd_hash`) signed by the holder. Refuses names that are
 * not in the credential (`unknown_claim`) and a signer that is not the `cnf.jwk` key
 * (`key_binding_invalid`).
 *
 * @example
 * const presentation = await presentSdJwtVc({
 *   credential, disclose: ['name', 'birthDate'],
 *   keyBinding: { alg: 'ES256', signer: holderSigner, nonce, audience: verifierDid },
 * })
 */
export async function presentSdJwtVc(options: PresentSdJwtVcOptions): Promise<string> {
  const { credential, disclose, keyBinding } = options
  const read = decodeSdJwtVc(credential)
  if (!read.ok) throw new SdJwtError(read.error.code, read.error.reason)
  const decoded = read.value
  if (decoded.keyBindingJwt)
    throw new SdJwtError('malformed', 'The credential already carries a key-binding JWT; pass it as issued.')
  if (!isAllowedJwsAlgorithm(keyBinding.alg))
    throw new SdJwtError('unsupported_algorithm', 'Sign the key-binding JWT with ES256K or ES256.')
  if (!nonEmpty(keyBinding.nonce) || !nonEmpty(keyBinding.audience))
    throw new SdJwtError(
      'invalid_options',
      'keyBinding.nonce and keyBinding.audience must be non-empty strings.',
    )
  const holder = jwkToPublicKey(decoded.payload.cnf?.jwk)
  if (!holder)
    throw new SdJwtError('malformed', 'The credential has no usable cnf.jwk; it cannot be presented.')
  if (holder.alg !== keyBinding.alg)
    throw new SdJwtError('key_binding_invalid', `The holder key in cnf.jwk needs alg ${holder.alg}.`)

  const known = await keysOf(decoded)
  const unknown = disclose.filter((name) => !known.has(name))
  if (unknown.length > 0)
    throw new SdJwtError(
      'unknown_claim',
      `Not in the credential: ${unknown.map((n) => `"${n}"`).join(', ')}. Disclose only claims it holds.`,
    )

  const instance = new SDJwtInstance({
    hasher: sdHasher,
    kbSigner: keyBinding.signer,
    kbSignAlg: keyBinding.alg,
  })
  const iat = Math.floor((keyBinding.issuedAt ?? new Date()).getTime() / 1000)
  let presentation: string
  try {
    presentation = await instance.present(credential, toPresentationFrame(disclose), {
      kb: { payload: { iat, aud: keyBinding.audience, nonce: keyBinding.nonce } },
    })
  } catch (error) {
    if (error instanceof SDJWTException) throw new SdJwtError('malformed', error.message, { cause: error })
    throw error
  }
  const kb = presentation.slice(presentation.lastIndexOf('~') + 1)
  const dot = kb.lastIndexOf('.')
  const signed = verifySignature({ ...holder, data: kb.slice(0, dot), signature: kb.slice(dot + 1) })
  if (!signed)
    throw new SdJwtError('key_binding_invalid', 'keyBinding.signer does not sign with the cnf.jwk key.')
  return presentation
}

/** Every claim path of the fully disclosed credential (`a`, `a.b`, `list.0`). */
async function keysOf(decoded: DecodedSdJwtVc): Promise<Set<string>> {
  const disclosures = decoded.disclosures.map(toDisclosure)
  try {
    return new Set(listKeys(await getClaims<Record<string, unknown>>(decoded.payload, disclosures, sdHasher)))
  } catch (error) {
    if (error instanceof SDJWTException)
      throw new SdJwtError('disclosure_invalid', error.message, { cause: error })
    throw error
  }
}

/** `['a', 'b.c', 'list.0']` → `{ a: true, b: { c: true }, list: { 0: true } }`. */
export function toPresentationFrame(paths: readonly string[]): PresentationFrame<Record<string, unknown>> {
  const frame: Record<string, unknown> = {}
  for (const path of paths) {
    const segments = path.split('.')
    let node = frame
    segments.forEach((segment, i) => {
      if (i === segments.length - 1) {
        if (node[segment] === undefined) node[segment] = true
        return
      }
      const next = node[segment]
      if (typeof next !== 'object' || next === null) node[segment] = {}
      node = node[segment] as Record<string, unknown>
    })
  }
  return frame as PresentationFrame<Record<string, unknown>>
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0
}
