/** What the consoles show of a credential their organisation issued: its claims, read from the token. */
import { parseBase64urlJson } from '@clavis/crypto'
import { decodeSdJwtVc, disclosedClaims } from '@clavis/sd-jwt'

/** The claims in an issued JWT-VC, VC 2.0 vc+jwt or SD-JWT VC (all disclosures), or {} if unreadable. */
export function issuedClaims(token: string): Record<string, unknown> {
  if (token.includes('~')) {
    const decoded = decodeSdJwtVc(token)
    if (!decoded.ok) return {}
    const claims = disclosedClaims(decoded.value)
    return claims.ok ? claims.value.claims : {}
  }
  const payload = parseBase64urlJson(token.split('.')[1] ?? '') as
    | { vc?: { credentialSubject?: Record<string, unknown> }; credentialSubject?: Record<string, unknown> }
    | undefined
  return payload?.vc?.credentialSubject ?? payload?.credentialSubject ?? {}
}

/** Field errors by form field: the first path segment of each claim issue. */
export function fieldErrors(issues: readonly { path: string; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const issue of issues) {
    const field = issue.path.split('.')[0] || 'form'
    out[field] ??= issue.message
  }
  return out
}
