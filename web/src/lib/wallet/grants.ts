/**
 * Access grants a patient issues from the wallet: an SD-JWT VC (AccessGrantCredential) signed with
 * the wallet's key, bound to the clinician's key, pointing into the patient's own IETF Token Status
 * List — which the wallet signs itself and publishes through the agent
 * (`PUT /v1/status-lists/dids/<did>/grants`). Revoking marks the entry and publishes the list again;
 * the vault records the change first, so a failed upload is retried, never lost.
 */
import { checkClaims, checkValidityPeriod } from '@clavis/credentials'
import type { EcPublicJwk } from '@clavis/crypto'
import { publicJwkOfDid } from '@clavis/did'
import type { HolderKey } from '@clavis/holder'
import { issueSdJwtVc } from '@clavis/sd-jwt'
import {
  decodeStatusListJwt,
  signTokenStatusListJwt,
  TOKEN_STATUS,
  TokenStatusList,
  tokenStatusEntry,
} from '@clavis/status'
import { agentPublicUrl, publicApi } from '$lib/agent/browser'
import type { IssuedGrant, WalletContents } from './contents'

/** Record types a grant can open, as SMART v2 scopes `patient/<Type>.rs`. */
export const RECORD_TYPES = [
  'Observation',
  'Condition',
  'AllergyIntolerance',
  'MedicationStatement',
  'Encounter',
  'Patient',
] as const

/** How often verifiers fetch the list again (seconds): a revocation takes effect within this. */
export const GRANT_LIST_TTL_SECONDS = 60

export class GrantError extends Error {
  constructor(
    readonly code: 'grantee_key_unknown' | 'invalid_grant' | 'list_not_published',
    message: string,
  ) {
    super(message)
    this.name = 'GrantError'
  }
}

/** The clinician's public key, from their DID: a did:ethr of a public key, or a did:jwk. */
export function granteeJwk(did: string): EcPublicJwk {
  const jwk = publicJwkOfDid(did)
  if (jwk) return jwk
  throw new GrantError(
    'grantee_key_unknown',
    'This DID does not show its key (a did:ethr of an address). Ask the clinician for the DID their wallet shows.',
  )
}

/** A free index in the patient's list, chosen at random (indexes say nothing about order or count). */
export function freeIndex(contents: WalletContents): number {
  // Indexes of grants this copy holds, and revoked ones it learnt of from the served list (a grant
  // issued by a lost copy and never revoked cannot be known; a clash would only revoke more).
  const used = new Set([...contents.grants.map((g) => g.index), ...(contents.grantList.servedRevoked ?? [])])
  if (used.size >= contents.grantList.size) throw new GrantError('invalid_grant', 'The grant list is full.')
  for (;;) {
    const [n] = crypto.getRandomValues(new Uint32Array(1))
    const index = n! % contents.grantList.size
    if (!used.has(index)) return index
  }
}

export function grantListUrl(publicUrl: string, did: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/v1/status-lists/dids/${did}/grants`
}

/** Signs the patient's grant list with these indexes marked INVALID. */
export async function signGrantList(o: {
  url: string
  size: number
  revoked: Iterable<number>
  key: HolderKey
  iat: number
}): Promise<string> {
  const list = TokenStatusList.create({ size: o.size, bits: 2 })
  for (const index of o.revoked) list.set(index, TOKEN_STATUS.INVALID)
  return signTokenStatusListJwt({
    issuer: o.key.did,
    kid: o.key.kid,
    alg: 'ES256K',
    signer: (input) => o.key.sign(input),
    uri: o.url,
    list,
    iat: new Date(o.iat * 1000),
    ttlSeconds: GRANT_LIST_TTL_SECONDS,
  })
}

/** The list's address at this agent (from `/v1/health`'s `publicUrl`). */
export async function listAddress(did: string): Promise<string> {
  try {
    return grantListUrl(await agentPublicUrl(), did)
  } catch (e) {
    throw new GrantError('list_not_published', (e as Error).message)
  }
}

/**
 * What the agent serves now for this list: its revoked indexes and `iat`. A revocation made from
 * another copy of this wallet (before a backup was restored, in another browser) is kept: revoked
 * stays revoked. Only adds revocations, so the list's signature need not be checked here (the
 * agent checked it against our DID on upload). Nothing served yet → nothing to keep.
 */
async function servedList(url: string, did: string): Promise<{ revoked: number[]; iat: number }> {
  const res = await fetch(url, { cache: 'no-store', credentials: 'omit' })
  if (res.status === 404) return { revoked: [], iat: 0 }
  if (!res.ok)
    throw new GrantError(
      'list_not_published',
      `The published grant list could not be read (HTTP ${res.status}).`,
    )
  const decoded = decodeStatusListJwt(await res.text())
  if (decoded.issuer !== did || decoded.kind !== 'token') return { revoked: [], iat: 0 }
  const revoked: number[] = []
  for (let i = 0; i < decoded.size; i++) if (decoded.read(i) !== TOKEN_STATUS.VALID) revoked.push(i)
  return { revoked, iat: Math.floor((decoded.issuedAt?.getTime() ?? 0) / 1000) }
}

let publishing: Promise<unknown> = Promise.resolve()

/**
 * Publishes the wallet's grant list through the agent: one publication at a time; each signs the
 * revocations the vault holds now plus those already served; `unpublished` is cleared only when
 * what was signed covers every revocation the vault holds when the upload is acknowledged.
 */
export function publishGrantList(o: {
  read: () => WalletContents | undefined
  update: (change: (c: WalletContents) => WalletContents) => Promise<WalletContents>
  key: HolderKey
}): Promise<void> {
  const run = publishing.then(async () => {
    const contents = o.read()
    const url = contents?.grantList.url
    if (!contents || !url) throw new GrantError('list_not_published', 'The grant list has no address yet.')
    const served = await servedList(url, o.key.did)
    const revoked = new Set([...served.revoked, ...revokedIn(contents)])
    const iat = Math.max(
      Math.floor(Date.now() / 1000),
      (contents.grantList.publishedIat ?? 0) + 1,
      served.iat + 1,
    )
    const jwt = await signGrantList({ url, size: contents.grantList.size, revoked, key: o.key, iat })
    await publicApi().uploadStatusList({ params: { did: o.key.did, name: 'grants' }, body: jwt })
    await o.update((c) => ({
      ...c,
      grantList: {
        ...c.grantList,
        publishedIat: Math.max(c.grantList.publishedIat ?? 0, iat),
        unpublished: revokedIn(c).some((i) => !revoked.has(i)) ? c.grantList.unpublished : false,
        servedRevoked: served.revoked.filter((i) => !c.grants.some((g) => g.index === i)),
      },
    }))
  })
  publishing = run.catch(() => {})
  return run
}

const revokedIn = (c: WalletContents) => c.grants.filter((g) => g.revokedAt).map((g) => g.index)

export interface GrantRequest {
  grantee: string
  audience: string
  recordTypes: string[]
  purposeOfUse: string
  validUntil: Date
}

/** Checks a grant request with the shared schema and validity rules; the problems by field. */
export function checkGrant(request: GrantRequest, now = new Date()): Record<string, string> {
  const problems: Record<string, string> = {}
  const claims = {
    audience: request.audience,
    scope: request.recordTypes.map((t) => `patient/${t}.rs`),
    purposeOfUse: request.purposeOfUse,
  }
  const checked = checkClaims({ type: 'AccessGrantCredential', claims })
  if (!checked.ok)
    for (const issue of checked.error) problems[issue.path.split('.')[0] || 'form'] ??= issue.message
  if (!/^did:[a-z0-9]+:/.test(request.grantee))
    problems.grantee = 'Paste or scan the clinician’s DID (did:ethr:… or did:jwk:…).'
  else
    try {
      granteeJwk(request.grantee)
    } catch (e) {
      problems.grantee = (e as Error).message
    }
  const period = checkValidityPeriod({
    type: 'AccessGrantCredential',
    validFrom: now,
    validUntil: request.validUntil,
  })
  if (!period.ok) problems.validUntil = period.error.map((i) => i.message).join(' ')
  return problems
}

/** Issues the grant credential for an index already recorded in the vault. */
export async function issueGrant(o: {
  request: GrantRequest
  key: HolderKey
  index: number
  listUrl: string
  now?: Date
}): Promise<string> {
  const now = o.now ?? new Date()
  return issueSdJwtVc({
    type: 'AccessGrantCredential',
    issuer: o.key.did,
    kid: o.key.kid,
    alg: 'ES256K',
    signer: (input) => o.key.sign(input),
    subject: o.request.grantee,
    // The grant's id: the hospital's audit trail names the grant by it (never its contents).
    jti: `urn:uuid:${crypto.randomUUID()}`,
    claims: {
      audience: o.request.audience,
      scope: o.request.recordTypes.map((t) => `patient/${t}.rs`),
      purposeOfUse: o.request.purposeOfUse,
    },
    holderJwk: granteeJwk(o.request.grantee),
    validFrom: now,
    validUntil: o.request.validUntil,
    status: tokenStatusEntry({ uri: o.listUrl, idx: o.index }),
  })
}

export function withGrant(c: WalletContents, grant: IssuedGrant): WalletContents {
  return { ...c, grants: [grant, ...c.grants.filter((g) => g.id !== grant.id)] }
}
