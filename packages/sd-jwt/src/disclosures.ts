import { type Disclosure, SDJWTException, unpackObj } from '@sd-jwt/core'
import { NEVER_DISCLOSABLE } from './disclosable'
import type { SdJwtVcPayload } from './types'

/** Disclosed claims, or why the disclosures are not acceptable. */
export type UnpackResult =
  | { ok: true; claims: Record<string, unknown>; disclosedNames: string[] }
  | { ok: false; reason: string }

const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['', '_sd', '...', '__proto__'])

/**
 * Checks the presented disclosures against the issuer-signed payload (RFC 9901 §7.1) and returns
 * the claims with `_sd`/`_sd_alg` removed. Duplicated, unreferenced, conflicting or badly named
 * disclosures, and top-level disclosures of {@link NEVER_DISCLOSABLE} claims, invalidate all.
 */
export function unpackDisclosures(payload: SdJwtVcPayload, disclosures: readonly Disclosure[]): UnpackResult {
  const topLevel = payload._sd
  if (topLevel !== undefined && !(Array.isArray(topLevel) && topLevel.every((d) => typeof d === 'string')))
    return { ok: false, reason: 'The payload "_sd" is not an array of digests.' }
  const topLevelDigests = new Set<string>(topLevel ?? [])
  const map: Record<string, Disclosure> = Object.create(null)
  for (const disclosure of disclosures) {
    const digest = disclosure._digest!
    if (map[digest]) return { ok: false, reason: 'A disclosure is presented twice.' }
    map[digest] = disclosure
    const name = disclosure.key
    if (name !== undefined && FORBIDDEN_NAMES.has(name))
      return { ok: false, reason: 'A disclosure has a forbidden claim name.' }
    if (name !== undefined && NEVER_DISCLOSABLE.includes(name) && topLevelDigests.has(digest))
      return { ok: false, reason: `"${name}" must not be selectively disclosable.` }
  }
  const { _sd_alg: _ignored, ...rest } = payload
  try {
    const { unpackedObj, disclosureKeymap } = unpackObj(rest, map)
    return {
      ok: true,
      claims: unpackedObj as Record<string, unknown>,
      disclosedNames: Object.keys(disclosureKeymap).sort(),
    }
  } catch (error) {
    if (error instanceof SDJWTException) return { ok: false, reason: error.message }
    throw error
  }
}
