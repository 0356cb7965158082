import { type Failure, fail, isObject, ok, type Result } from '@clavis/crypto'
import { Disclosure, SDJWTException, unpackObj } from '@sd-jwt/core'
import { NEVER_DISCLOSABLE } from './disclosable'
import type { DecodedDisclosure, DecodedSdJwtVc, DisclosedClaims } from './types'

const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['', '_sd', '...', '__proto__'])

/** The `@sd-jwt/core` object of a decoded disclosure (its digest kept, not recomputed). */
export function toDisclosure(d: DecodedDisclosure): Disclosure {
  const item: [string, unknown] | [string, string, unknown] =
    d.name === undefined ? [d.salt, d.value] : [d.salt, d.name, d.value]
  return Disclosure.fromArray(item, { digest: d.digest, encoded: '' })
}

/**
 * Whether `value` holds a digest anywhere inside: an object with `_sd`, or an array element
 * `{ "...": digest }` (RFC 9901 §4.2.4). Walks without recursion, so depth cannot overflow the stack.
 */
function holdsDigests(value: unknown): boolean {
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const item = stack.pop()
    if (typeof item !== 'object' || item === null) continue
    if (!Array.isArray(item) && Object.hasOwn(item, '_sd')) return true
    if (Array.isArray(item) && item.some((e) => isObject(e) && Object.hasOwn(e, '...'))) return true
    for (const child of Object.values(item)) stack.push(child)
  }
  return false
}

/**
 * Checks the presented disclosures against the issuer-signed payload (RFC 9901 §7.1) and returns
 * the claims with `_sd`/`_sd_alg` removed. Duplicated, unreferenced, conflicting or badly named
 * disclosures, top-level disclosures of {@link NEVER_DISCLOSABLE} claims and digests anywhere
 * inside one (draft-ietf-oauth-sd-jwt-vc-18 §2.2.2.3: "including any of their sub-claims") are
 * `disclosure_invalid`. Verify the issuer's signature over the payload first. Never throws.
 *
 * @example
 * const disclosed = disclosedClaims(decoded)
 * if (disclosed.ok) disclosed.value.claims.birthDate
 */
export function disclosedClaims(
  decoded: DecodedSdJwtVc,
): Result<DisclosedClaims, Failure<'disclosure_invalid'>> {
  const { payload } = decoded
  const topLevel = payload._sd
  if (topLevel !== undefined && !(Array.isArray(topLevel) && topLevel.every((d) => typeof d === 'string')))
    return fail('disclosure_invalid', 'The payload "_sd" is not an array of digests.')
  const topLevelDigests = new Set<string>(topLevel ?? [])
  for (const name of NEVER_DISCLOSABLE) {
    if (Object.hasOwn(payload, name) && holdsDigests(payload[name]))
      return fail('disclosure_invalid', `No part of "${name}" may be selectively disclosable.`)
  }
  const map: Record<string, Disclosure> = Object.create(null)
  for (const disclosure of decoded.disclosures) {
    const { digest, name } = disclosure
    if (map[digest]) return fail('disclosure_invalid', 'A disclosure is presented twice.')
    map[digest] = toDisclosure(disclosure)
    if (name !== undefined && FORBIDDEN_NAMES.has(name))
      return fail('disclosure_invalid', 'A disclosure has a forbidden claim name.')
    if (name !== undefined && NEVER_DISCLOSABLE.includes(name) && topLevelDigests.has(digest))
      return fail('disclosure_invalid', `"${name}" must not be selectively disclosable.`)
  }
  const { _sd_alg: _ignored, ...rest } = payload
  try {
    const { unpackedObj, disclosureKeymap } = unpackObj(rest, map)
    return ok({
      claims: unpackedObj as Record<string, unknown>,
      disclosedNames: Object.keys(disclosureKeymap).sort(),
    })
  } catch (error) {
    const reason = error instanceof SDJWTException ? error.message : 'The disclosures could not be processed.'
    return fail('disclosure_invalid', reason)
  }
}
