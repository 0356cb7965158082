/**
 * What the consent screen shows for a request: for each credential asked for, which claims are
 * required and which the holder may leave out (DCQL claim sets: a claim missing from some
 * acceptable set is optional), and why a verifier typically asks for it.
 */
import type { HeldCredential, ResolvedRequest } from '@clavis/holder'

export interface AskedClaim {
  name: string
  required: boolean
}

const claimName = (path: unknown): string | undefined => {
  if (!Array.isArray(path)) return undefined
  const name = path[0] === 'credentialSubject' ? path[1] : path[0]
  return typeof name === 'string' ? name : undefined
}

/** The claims one credential query asks for, each marked required or optional. */
export function askedClaims(request: ResolvedRequest, queryId: string): AskedClaim[] {
  const query = request.query.credentials.find((c) => c.id === queryId) as
    | { claims?: { id?: string; path: unknown }[]; claim_sets?: string[][] }
    | undefined
  const claims = query?.claims ?? []
  const sets = query?.claim_sets
  const byName = new Map<string, boolean>()
  for (const claim of claims) {
    const name = claimName(claim.path)
    if (!name) continue
    const required =
      !sets || sets.length === 0 || (claim.id !== undefined && sets.every((s) => s.includes(claim.id!)))
    byName.set(name, (byName.get(name) ?? false) || required)
  }
  return [...byName].map(([name, required]) => ({ name, required }))
}

const WHY: Record<string, string> = {
  name: 'to know who you are',
  birthDate: 'to tell you apart from people of the same name',
  identifier: 'to find your hospital record',
  insuranceMemberId: 'to bill your insurer',
  address: 'to contact you',
  identityAssuranceLevel: 'to know how well your identity was checked',
  profession: 'to know what you are licensed as',
  licenseNumber: 'to look your licence up',
  jurisdiction: 'to know where your licence applies',
  specialty: 'to know your specialty',
  npi: 'to identify you as a provider',
  audience: 'to check the grant is for this hospital',
  scope: 'to know which records you were given',
  purposeOfUse: 'to know why access was given',
}

export function whyAsked(name: string): string {
  return WHY[name] ?? 'the verifier asks for it'
}

/** The claims that actually leave the wallet for a chosen credential, given what was unticked. */
export function claimsShared(
  credential: HeldCredential,
  asked: AskedClaim[],
  leftOut: readonly string[],
): string[] {
  if (credential.format === 'jwt_vc_json') return Object.keys(credential.claims)
  return asked
    .filter((c) => c.required || !leftOut.includes(c.name))
    .map((c) => c.name)
    .filter((n) => n in credential.claims)
}
