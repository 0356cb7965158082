/**
 * Access grants a patient issues from the wallet: an SD-JWT VC (AccessGrantCredential) signed with
 * the wallet's key, bound to the clinician's key, pointing into the patient's own IETF Token Status
 * List — which the wallet signs itself and publishes through the agent
 * (`PUT /v1/status-lists/dids/<did>/grants`). Revoking marks the entry and publishes the list again;
 * the vault records the change first, so a failed upload is retried, never lost.
 */
import { checkClaims, checkValidityPeriod } from '@clavis/credentials'
import { type EcPublicJwk, fromHex, publicKeyToJwk } from '@clavis/crypto'
import { jwkOfDidJwk, parseDidEthr } from '@clavis/did'
import type { HolderKey } from '@clavis/holder'
import { issueSdJwtVc } from '@clavis/sd-jwt'
import { signTokenStatusListJwt, TOKEN_STATUS, TokenStatusList, tokenStatusEntry } from '@clavis/status'
import { publicApi } from '$lib/agent/browser'
import type { GrantList, IssuedGrant, WalletContents } from './contents'

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
  const ethr = parseDidEthr(did)
  if (ethr?.kind === 'publicKey')
    return publicKeyToJwk({ alg: 'ES256K', publicKey: fromHex(ethr.identifier)! })
  if (did.startsWith('did:jwk:')) {
    const jwk = jwkOfDidJwk(did)
    if (jwk) return jwk as EcPublicJwk
  }
  throw new GrantError(
    'grantee_key_unknown',
    'This DID does not show its key (a did:ethr of an address). Ask the clinician for the DID their wallet shows.',
  )
}

/** A free index in the patient's list, chosen at random (indexes say nothing about order or count). */
export function freeIndex(contents: WalletContents): number {
  const used = new Set(contents.grants.map((g) => g.index))
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

/** Signs the patient's current grant list (every revoked grant marked INVALID). */
export async function signGrantList(contents: WalletContents, key: HolderKey, iat: number): Promise<string> {
  const url = contents.grantList.url
  if (!url) throw new GrantError('list_not_published', 'The grant list has no address yet.')
  const list = TokenStatusList.create({ size: contents.grantList.size, bits: 2 })
  for (const g of contents.grants) if (g.revokedAt) list.set(g.index, TOKEN_STATUS.INVALID)
  return signTokenStatusListJwt({
    issuer: key.did,
    kid: key.kid,
    alg: 'ES256K',
    signer: (input) => key.sign(input),
    uri: url,
    list,
    iat: new Date(iat * 1000),
    ttlSeconds: GRANT_LIST_TTL_SECONDS,
  })
}

/** The list's address at this agent (from `/v1/health`'s `publicUrl`). */
export async function listAddress(did: string): Promise<string> {
  const health = await publicApi().getHealth()
  if (!health.publicUrl)
    throw new GrantError('list_not_published', 'The agent does not say where it publishes lists; update it.')
  return grantListUrl(health.publicUrl, did)
}

/** Signs and uploads the list; returns the new `grantList` state to save. */
export async function publishGrantList(contents: WalletContents, key: HolderKey): Promise<GrantList> {
  const iat = Math.max(Math.floor(Date.now() / 1000), (contents.grantList.publishedIat ?? 0) + 1)
  const jwt = await signGrantList(contents, key, iat)
  await publicApi().uploadStatusList({ params: { did: key.did, name: 'grants' }, body: jwt })
  return { ...contents.grantList, publishedIat: iat, unpublished: false }
}

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
