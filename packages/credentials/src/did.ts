/** Longest DID we accept, in characters. */
export const MAX_DID_LENGTH = 256

// DID Core §3.1 ABNF: did = "did:" method-name ":" method-specific-id
// method-specific-id = *( *idchar ":" ) 1*idchar ; idchar = ALPHA / DIGIT / "." / "-" / "_" / pct-encoded
const idchar = '(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})'
const didPattern = new RegExp(`^did:[a-z0-9]+:(?:${idchar}*:)*${idchar}+$`)

/**
 * Checks that a string is a plain DID per the DID Core ABNF (no path, query or fragment), at most 256 characters.
 * Syntax only: it does not resolve the DID or check the method.
 *
 * @example
 * isDid('did:ethr:0x14a34:0xb9c5714089478a327f09197987f16f9e5d936e8a') // true
 * isDid('did:ethr:0xabc#controller') // false (a DID URL, not a DID)
 */
export function isDid(x: string): boolean {
  return typeof x === 'string' && x.length <= MAX_DID_LENGTH && didPattern.test(x)
}
