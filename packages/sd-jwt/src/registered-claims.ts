import { type Failure, fail, isObject, ok, type Result } from '@clavis/crypto'

/**
 * What a verifier does with a registered claim: `checked` — read and checked (by decoding, the
 * credential checks or the key binding); `ignored` — its form is checked, but it means nothing that
 * applies to us, so it changes no decision; `refused` — a credential that carries it is refused.
 */
export type RegisteredClaimUse = 'checked' | 'ignored' | 'refused'

/** One registered claim: how we treat it and where it is defined. */
export interface RegisteredClaim {
  use: RegisteredClaimUse
  spec: string
}

/**
 * The claims the SD-JWT VC draft (draft-ietf-oauth-sd-jwt-vc-18 §2.2.2.3), RFC 7519 and RFC 9901
 * register for the issuer-signed JWT, and how we treat each one. They are not part of a credential
 * type's claims, so the schema of the type never sees them. Every other top-level claim (claims
 * other protocols registered, such as OpenID Connect's `name` or `address`, included) is the
 * type's: the rules of its `vct` — our schema — decide (docs/decisions/0023).
 *
 * @example
 * REGISTERED_CLAIMS['vct#integrity'].use // 'ignored'
 */
export const REGISTERED_CLAIMS: Readonly<Record<string, RegisteredClaim>> = Object.freeze({
  iss: { use: 'checked', spec: 'RFC 7519 §4.1.1' },
  sub: { use: 'checked', spec: 'RFC 7519 §4.1.2' },
  iat: { use: 'checked', spec: 'RFC 7519 §4.1.6' },
  nbf: { use: 'checked', spec: 'RFC 7519 §4.1.5' },
  exp: { use: 'checked', spec: 'RFC 7519 §4.1.4' },
  jti: { use: 'checked', spec: 'RFC 7519 §4.1.7' },
  cnf: { use: 'checked', spec: 'RFC 7800 §3' },
  status: { use: 'checked', spec: 'draft-ietf-oauth-status-list §6' },
  vct: { use: 'checked', spec: 'draft-ietf-oauth-sd-jwt-vc-18 §2.2.2.1' },
  'vct#integrity': { use: 'ignored', spec: 'draft-ietf-oauth-sd-jwt-vc-18 §2.2.2.3, §5' },
  aka_vcts: { use: 'ignored', spec: 'draft-ietf-oauth-sd-jwt-vc-18 §2.2.2.2' },
  sd_hash: { use: 'ignored', spec: 'RFC 9901 §4.3' },
  aud: { use: 'refused', spec: 'RFC 7519 §4.1.3' },
})

/** A credential's claims split into the registered ones and the type's own. */
export interface SplitClaims {
  registered: Record<string, unknown>
  own: Record<string, unknown>
}

/** A "integrity metadata" string (W3C SRI §3.5): hash expressions `<alg>-<base64>[?options]`, space-separated. */
const INTEGRITY =
  /^[ \t]*[A-Za-z0-9]+-[A-Za-z0-9+/]+={0,2}(\?[\x21-\x7e]*)?([ \t]+[A-Za-z0-9]+-[A-Za-z0-9+/]+={0,2}(\?[\x21-\x7e]*)?)*[ \t]*$/
const MAX_INTEGRITY_LENGTH = 1024

const isString = (value: unknown): value is string => typeof value === 'string'

/** Why the value of a registered claim is refused, or undefined when it is acceptable here. */
function refusal(name: string, value: unknown, claims: Record<string, unknown>): string | undefined {
  switch (name) {
    case 'aud':
      return 'The credential names an audience ("aud"); a verifier that is not in it must refuse it (RFC 7519 §4.1.3), and Clavis credentials are not audience-restricted.'
    case 'vct#integrity':
      return isString(value) && value.length <= MAX_INTEGRITY_LENGTH && INTEGRITY.test(value)
        ? undefined
        : '"vct#integrity" must be an integrity metadata string such as "sha256-…".'
    case 'aka_vcts':
      return Array.isArray(value) &&
        value.length > 0 &&
        value.every(isString) &&
        !value.some((v) => v === claims.vct)
        ? undefined
        : '"aka_vcts" must be a non-empty array of type strings without the "vct" itself.'
    case 'sub':
    case 'jti':
    case 'vct':
    case 'sd_hash':
      return isString(value) ? undefined : `"${name}" must be a string.`
    case 'cnf':
    case 'status':
      return isObject(value) ? undefined : `"${name}" must be an object.`
    default:
      return undefined
  }
}

/**
 * Splits an SD-JWT VC's processed claims (see `disclosedClaims`) into the registered claims
 * ({@link REGISTERED_CLAIMS}) and the credential type's own claims, which its schema checks.
 * Refuses (`malformed`) a claim marked `refused`, and a registered claim of the wrong form
 * (`vct#integrity` not an integrity string, `aka_vcts` not a list of types, `sub`, `jti`, `vct` not
 * strings, `cnf`, `status` not objects). What the checked claims mean is checked elsewhere. Never
 * throws.
 *
 * @example
 * const split = splitRegisteredClaims({ iss, vct, 'vct#integrity': 'sha256-…', name })
 * if (split.ok) split.value.own // { name }
 */
export function splitRegisteredClaims(
  claims: Record<string, unknown>,
): Result<SplitClaims, Failure<'malformed'>> {
  const registered: [string, unknown][] = []
  const own: [string, unknown][] = []
  for (const [name, value] of Object.entries(claims)) {
    if (!Object.hasOwn(REGISTERED_CLAIMS, name)) {
      own.push([name, value])
      continue
    }
    const reason = refusal(name, value, claims)
    if (reason) return fail('malformed', reason)
    registered.push([name, value])
  }
  // fromEntries defines each name as an own property (a claim named "__proto__" stays a claim).
  return ok({ registered: Object.fromEntries(registered), own: Object.fromEntries(own) })
}
