import { isDid } from '@clavis/credentials'
import type { EcPublicJwk, JwsAlgorithm } from '@clavis/crypto'
import { jwkToPublicKey, verifySignature } from '@clavis/crypto'
import { isAllowedAlgorithm } from './algorithms'
import { decodeParts } from './decode'
import { unpackDisclosures } from './disclosures'
import { SdJwtError } from './errors'
import { checkKeyBinding } from './key-binding'
import type { DecodedSdJwtVc, SdJwtFailureCode, SdJwtVcHeader, SdJwtVcPayload } from './types'
import { SD_JWT_VC_TYP } from './vct'

/** A candidate public key of the issuer (compressed or uncompressed bytes). */
export interface IssuerKey {
  alg: JwsAlgorithm
  publicKey: Uint8Array
}

/** Options of {@link verifySdJwtVc}. */
export interface VerifySdJwtVcOptions {
  presentation: string
  /** Candidate keys of `iss` (from its DID document); an empty list fails with `no_matching_key`. */
  issuerKey?: (options: { iss: string; kid: string | undefined; alg: string }) => Promise<IssuerKey[]>
  /**
   * Instead of `issuerKey`: checks the issuer's signature itself (e.g. against a DID document whose
   * keys may be address-only), so it is verified once. `no_key`: the issuer has no usable key.
   */
  verifyIssuerSignature?: (options: {
    iss: string
    kid: string | undefined
    alg: JwsAlgorithm
    data: string
    signature: string
  }) => Promise<'valid' | 'invalid' | 'no_key'>
  /** Default true. A KB-JWT that is present is always checked, required or not. */
  requireKeyBinding?: boolean
  /** The nonce the verifier asked for; needed whenever a KB-JWT is checked. */
  nonce?: string
  /** The verifier's own identifier (KB-JWT `aud`); needed whenever a KB-JWT is checked. */
  audience?: string
  now?: Date
  /** Clock skew allowed for the KB-JWT `iat`; default 30, clamped to 0…60. */
  clockSkewSeconds?: number
}

/** Result of {@link verifySdJwtVc}. */
export type SdJwtVerifyResult =
  | {
      ok: true
      /** Disclosed and always-visible claims, without `_sd`/`_sd_alg`. */
      claims: Record<string, unknown>
      header: SdJwtVcHeader
      /** The issuer-signed payload as received (with `_sd`): read `nbf`, `exp`, `status`, `vct` here. */
      payload: SdJwtVcPayload
      holderJwk: EcPublicJwk
      /** Paths of the disclosed claims (`name`, `address.city`, `list.0`), sorted. */
      disclosedNames: string[]
      keyBinding: { nonce: string; audience: string; issuedAt: Date } | undefined
    }
  | { ok: false; code: SdJwtFailureCode; reason: string }

const DEFAULT_SKEW_SECONDS = 30
const MAX_SKEW_SECONDS = 60
const HEADER_PARAMS: ReadonlySet<string> = new Set(['alg', 'typ', 'kid'])
const FAILURE_CODES: ReadonlySet<string> = new Set<SdJwtFailureCode>([
  'malformed',
  'unsupported_algorithm',
  'unexpected_header',
  'no_matching_key',
  'invalid_signature',
  'disclosure_invalid',
  'key_binding_missing',
  'key_binding_invalid',
  'nonce_mismatch',
  'audience_mismatch',
  'key_binding_stale',
])

/**
 * Verifies an SD-JWT VC presentation: header (alg ES256K/ES256, `typ: 'dc+sd-jwt'`, only
 * `alg`/`typ`/`kid`, a `kid` of `iss` or relative), `iss` a bare DID, issuer signature against the candidate keys, disclosures, and the KB-JWT
 * (holder key, `sd_hash`, nonce, audience, freshness). Does not check validity period, status,
 * trust or schema: the caller does, from `payload`. Never throws for bad input.
 *
 * @example
 * const result = await verifySdJwtVc({
 *   presentation, nonce, audience: hospitalDid,
 *   issuerKey: async ({ iss }) => keysFromDidDocument(await resolve(iss)),
 * })
 * if (!result.ok) return deny(result.code)
 * result.claims.birthDate
 */
export async function verifySdJwtVc(options: VerifySdJwtVcOptions): Promise<SdJwtVerifyResult> {
  try {
    return await verify(options)
  } catch (error) {
    if (error instanceof SdJwtError && FAILURE_CODES.has(error.code))
      return fail(error.code as SdJwtFailureCode, error.message)
    return fail('malformed', 'The presentation could not be processed.')
  }
}

async function verify(options: VerifySdJwtVcOptions): Promise<SdJwtVerifyResult> {
  const { decoded, disclosures } = decodeParts(options.presentation)
  const { header, payload } = decoded
  if (!isAllowedAlgorithm(header.alg))
    return fail('unsupported_algorithm', 'Issuer alg must be ES256K or ES256.')
  if (Object.keys(header).some((k) => !HEADER_PARAMS.has(k)))
    return fail('unexpected_header', 'Only alg, typ and kid are accepted in the header.')
  if (header.typ !== SD_JWT_VC_TYP) return fail('unexpected_header', `typ must be "${SD_JWT_VC_TYP}".`)
  if (header.kid !== undefined && typeof header.kid !== 'string')
    return fail('unexpected_header', 'kid must be a string.')
  if (!isDid(payload.iss)) return fail('malformed', '"iss" must be a DID (no fragment, path or query).')
  if (
    typeof header.kid === 'string' &&
    !header.kid.startsWith('#') &&
    !header.kid.startsWith(`${payload.iss}#`)
  )
    return fail('unexpected_header', 'An absolute kid must be a DID URL of "iss".')

  const signature = await checkIssuerSignature(decoded, header.alg, options)
  if (signature) return signature

  const unpacked = unpackDisclosures(payload, disclosures)
  if (!unpacked.ok) return fail('disclosure_invalid', unpacked.reason)

  const holder = jwkToPublicKey(payload.cnf?.jwk)
  if (!holder) return fail('malformed', 'The credential has no usable cnf.jwk.')

  let keyBinding: { nonce: string; audience: string; issuedAt: Date } | undefined
  if (decoded.keyBindingJwt || options.requireKeyBinding !== false) {
    const check = checkKeyBinding(decoded, {
      holder,
      nonce: options.nonce,
      audience: options.audience,
      nowSeconds: (options.now ?? new Date()).getTime() / 1000,
      skewSeconds: skewOf(options.clockSkewSeconds),
    })
    if (!check.ok) return check
    keyBinding = { nonce: check.nonce, audience: check.audience, issuedAt: check.issuedAt }
  }
  const { kty, crv, x, y } = payload.cnf!.jwk
  return {
    ok: true,
    claims: unpacked.claims,
    header: header as unknown as SdJwtVcHeader,
    payload,
    holderJwk: { kty, crv, x, y },
    disclosedNames: unpacked.disclosedNames,
    keyBinding,
  }
}

async function checkIssuerSignature(
  decoded: DecodedSdJwtVc,
  alg: JwsAlgorithm,
  options: VerifySdJwtVcOptions,
): Promise<SdJwtVerifyResult | undefined> {
  const kid = decoded.header.kid as string | undefined
  const data = decoded.issuerSigningInput
  const signature = decoded.issuerSignature
  if (options.verifyIssuerSignature) {
    let verdict: 'valid' | 'invalid' | 'no_key'
    try {
      verdict = await options.verifyIssuerSignature({ iss: decoded.payload.iss, kid, alg, data, signature })
    } catch {
      return fail('no_matching_key', 'The issuer keys could not be found.')
    }
    if (verdict === 'valid') return undefined
    if (verdict === 'no_key') return fail('no_matching_key', `The issuer has no ${alg} key.`)
    return fail('invalid_signature', 'The issuer signature does not verify with any key of the issuer.')
  }
  if (!options.issuerKey) return fail('no_matching_key', 'No way to find the issuer keys was given.')
  let candidates: IssuerKey[]
  try {
    candidates = await options.issuerKey({ iss: decoded.payload.iss, kid, alg })
  } catch {
    return fail('no_matching_key', 'The issuer keys could not be found.')
  }
  const usable = Array.isArray(candidates) ? candidates.filter((k) => k?.alg === alg) : []
  if (usable.length === 0) return fail('no_matching_key', `The issuer has no ${alg} key.`)
  if (usable.some((key) => verifySignature({ alg, publicKey: key.publicKey, data, signature })))
    return undefined
  return fail('invalid_signature', 'The issuer signature does not verify with any key of the issuer.')
}

function skewOf(value: number | undefined): number {
  if (value === undefined || !Number.isFinite(value)) return DEFAULT_SKEW_SECONDS
  return Math.min(Math.max(value, 0), MAX_SKEW_SECONDS)
}

function fail(code: SdJwtFailureCode, reason: string): { ok: false; code: SdJwtFailureCode; reason: string } {
  return { ok: false, code, reason }
}
