/**
 * What an unlocked wallet holds, and the pure operations on it. Everything here is sealed together
 * (vault-crypto.ts): the key, the credentials, what was shared, the grants the patient issued.
 */
import type { HeldCredential } from '@clavis/holder'

/** The wallet's own signing key and the did:ethr it makes on the agent's chain. */
export interface WalletKey {
  privateKeyHex: string
  did: string
  chainId: number
}

export type StatusState = 'valid' | 'suspended' | 'revoked' | 'unknown'

/** The last look at a credential's status list. */
export interface StatusSeen {
  state: StatusState
  /** Why, when not valid (e.g. the list could not be fetched). */
  reason?: string
  checkedAt: string
}

/** One presentation the holder agreed to. */
export interface SharedRecord {
  at: string
  verifierDid: string
  verifierName?: string | undefined
  /** Where the answer went (origin). */
  to: string
  items: { credentialId: string; type: string; claims: string[] }[]
}

/** An access grant this wallet issued (as issuer: the patient). */
export interface IssuedGrant {
  id: string
  grantee: string
  granteeName?: string | undefined
  audience: string
  scope: string[]
  purposeOfUse: string
  issuedAt: string
  validUntil: string
  /** Its index in the wallet's own status list. */
  index: number
  revokedAt?: string | undefined
  /** The credential as issued (an SD-JWT VC), to hand to the grantee again. */
  credential: string
}

/** The patient's own Token Status List for grants (2 bits per entry), published through the agent. */
export interface GrantList {
  size: number
  /** The URL it is served at (`<agent>/v1/status-lists/dids/<did>/grants`), once known. */
  url?: string | undefined
  /** `iat` of the last list published (each new one must be later). */
  publishedIat?: number | undefined
  /** Set when the wallet holds a change (a revocation) the agent has not got yet: publish again. */
  unpublished?: boolean | undefined
  /** Revoked indexes the served list holds that this copy has no grant for (from another copy). */
  servedRevoked?: number[] | undefined
}

/** The P-256 key grants are encrypted to at hospitals' inboxes (ADR 0032), and where it was published. */
export interface InboxKey {
  privateJwk: JsonWebKey
  publicJwk: JsonWebKey
  createdAt: string
  /** Hospitals (organisation ids) that hold the signed statement of it. */
  publishedAt: string[]
}

/** A hospital's signed checkpoint of its audit trail, kept from an access report (ADR 0030). */
export interface KeptCheckpoint {
  size: number
  head: string
  jwt: string
  at: string
}

export interface WalletContents {
  version: 1
  createdAt: string
  key: WalletKey
  credentials: HeldCredential[]
  status: Record<string, StatusSeen>
  shared: SharedRecord[]
  grants: IssuedGrant[]
  grantList: GrantList
  inboxKey?: InboxKey | undefined
  /** Checkpoints of each hospital's trail seen in access reports (verified, newest last), by organisation id. */
  checkpoints?: Record<string, KeptCheckpoint[]> | undefined
}

const MAX_HISTORY = 500

export function newContents(key: WalletKey, now = new Date()): WalletContents {
  return {
    version: 1,
    createdAt: now.toISOString(),
    key,
    credentials: [],
    status: {},
    shared: [],
    grants: [],
    grantList: { size: 131_072 },
  }
}

/** Checks that what a vault opened to is a wallet of this version (a backup from elsewhere may not be). */
export function asContents(value: unknown): WalletContents {
  const v = value as Partial<WalletContents> | null
  if (
    v?.version !== 1 ||
    typeof v.key?.privateKeyHex !== 'string' ||
    !/^[0-9a-f]{64}$/.test(v.key.privateKeyHex) ||
    typeof v.key.did !== 'string' ||
    !Array.isArray(v.credentials)
  )
    throw new Error('This is not a Clavis wallet of a version this app reads.')
  return {
    status: {},
    shared: [],
    grants: [],
    grantList: { size: 131_072 },
    ...v,
  } as WalletContents
}

export function withCredentials(c: WalletContents, received: HeldCredential[]): WalletContents {
  const ids = new Set(received.map((r) => r.id))
  return { ...c, credentials: [...c.credentials.filter((x) => !ids.has(x.id)), ...received] }
}

export function withoutCredential(c: WalletContents, id: string): WalletContents {
  const { [id]: _gone, ...status } = c.status
  return { ...c, credentials: c.credentials.filter((x) => x.id !== id), status }
}

export function withShared(c: WalletContents, record: SharedRecord): WalletContents {
  return { ...c, shared: [record, ...c.shared].slice(0, MAX_HISTORY) }
}

export function withStatus(c: WalletContents, id: string, seen: StatusSeen): WalletContents {
  return { ...c, status: { ...c.status, [id]: seen } }
}
