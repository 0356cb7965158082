/** Small wording helpers the wallet's pages share. */
import type { KnownOrganisation } from '$lib/agent/browser'
import type { StatusSeen } from './contents'

/** The issuer's name as the agent's directory knows it, or "not verified" with its DID. */
export function issuerLabel(did: string, directory: readonly KnownOrganisation[]): string {
  const known = directory.find((o) => o.did === did)
  return known ? `${known.name} (verified)` : `not verified — ${did.slice(0, 24)}…`
}

export function statusLabel(seen: StatusSeen | undefined): string {
  if (!seen) return 'Status not checked yet'
  const at = new Date(seen.checkedAt).toLocaleString()
  switch (seen.state) {
    case 'valid':
      return `Valid · checked ${at}`
    case 'revoked':
      return `Revoked · checked ${at}`
    case 'suspended':
      return `Suspended · checked ${at}`
    default:
      return `Status unknown · tried ${at}`
  }
}

export function when(iso: string | undefined): string {
  if (!iso) return 'no end date'
  const d = new Date(iso)
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' })
}
