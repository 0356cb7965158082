import type { IssueCredentialRequest } from '@clavis/api'
import {
  buildCredential,
  checkClaims,
  checkIssuancePeriod,
  checkValidityPeriod,
  DEFAULT_IDENTITY_VALIDITY_DAYS,
} from '@clavis/credentials'
import { type EcPublicJwk, jwkToPublicKey } from '@clavis/crypto'
import { ClavisError } from '@clavis/errors'
import { issueSdJwtVc } from '@clavis/sd-jwt'
import { bitstringStatusEntry, tokenStatusEntry } from '@clavis/status'
import { createVerifiableCredentialJwt } from 'did-jwt-vc'
import type { CachedIssuer } from '../../caches'
import type { AgentContext } from '../../context'
import type { DidSigner } from '../../keys/signing-keys'
import { newId, nowIso } from '../../util/ids'
import { getOrganisation } from '../organisations/organisations'
import { closeGroupIfFull, LIST_FORMAT, listUrls, openGroup, randomIndex } from '../status/groups'
import { createCredentialWriter } from './credential-writer'
import { IssuedCredentialEntity, type IssuedCredentialRow } from './entities'
import { hashRequest, type IssuedCredential, issuedUnderKey, toIssuedCredential } from './issued'
import { checkSubjectResolvable } from './subject'
import { buildOrRefuse, signVcJwt } from './vc-jwt'

/** Which kind of organisation issues which credential type. */
const ISSUER_KIND = {
  ClinicianLicenseCredential: 'board',
  PatientIdentityCredential: 'hospital',
} as const

/** Up to how many random indexes are tried before the group is checked for fullness. */
const MAX_SLOT_TRIES = 8
/** How long an organisation row and its open status group are reused without a database read. */
const HOT_CACHE_MS = 2000

async function hotFor(ctx: AgentContext, organisationId: string): Promise<CachedIssuer> {
  const now = Date.now()
  const cached = ctx.caches.issuers.get(organisationId)
  if (cached && cached.until > now) return cached
  const org = await getOrganisation(ctx, organisationId)
  const entry: CachedIssuer = {
    org,
    groups: new Map(),
    until: now + HOT_CACHE_MS,
    writer: cached?.writer ?? createCredentialWriter(ctx.db),
  }
  ctx.caches.issuers.set(organisationId, entry)
  return entry
}

/** Drops the cached organisation and groups (after a status or DID change in this process). */
export function forgetIssuanceCache(ctx: AgentContext, organisationId: string): void {
  ctx.caches.issuers.delete(organisationId)
}

/**
 * The claims and validity period of a request to issue, checked against the type's schema and
 * policy (the identity credential's default validity applied): `invalid_claims` with every bad
 * field otherwise. Also used before an offer is made, so staff hear of a bad claim at once.
 *
 * @example
 * const { checked, validFrom, validUntil } = checkIssuable(request, new Date())
 */
export function checkIssuable(
  request: Pick<IssueCredentialRequest, 'type' | 'claims' | 'validFrom' | 'validUntil'>,
  now: Date,
) {
  const checked = checkClaims({ type: request.type, claims: request.claims })
  if (!checked.ok) {
    const issues = checked.error
    throw new ClavisError({
      code: 'invalid_claims',
      message:
        issues.length === 1
          ? `Bad claim "${issues[0]?.path}": ${issues[0]?.message}`
          : `${issues.length} bad claims: ${issues.map((i) => `"${i.path}": ${i.message}`).join('; ')}`,
      issues: issues.map((i) => ({ ...i, path: `claims.${i.path}` })),
    })
  }
  const validFrom = request.validFrom ? new Date(request.validFrom) : now
  const validUntil = request.validUntil
    ? new Date(request.validUntil)
    : request.type === 'PatientIdentityCredential'
      ? new Date(validFrom.getTime() + DEFAULT_IDENTITY_VALIDITY_DAYS * 86_400_000)
      : undefined
  const period = validUntil
    ? checkIssuancePeriod({ type: request.type, validFrom, validUntil, now })
    : checkValidityPeriod({ type: request.type, validFrom })
  if (!period.ok) {
    throw new ClavisError({
      code: 'invalid_claims',
      message: `Bad field "${period.error[0]?.path}": ${period.error[0]?.message}`,
      issues: period.error,
    })
  }
  return { checked, validFrom, validUntil }
}

/**
 * Issues a licence (boards) or a patient identity credential (hospitals), signed with the
 * organisation's controller key: as a JWT-VC with W3C Bitstring Status List entries (revocation and
 * suspension) — a VC 1.1 JWT (`jwt_vc`, the default) or VC 2.0 secured as a `vc+jwt` — or as an
 * SD-JWT VC bound to the holder's key with an IETF Token Status List entry.
 * The status index is random and unique in its group (the database's unique slot index decides;
 * a collision re-draws), and the credential row with its slot is written in one insert.
 *
 * @example
 * const vc = await issueCredential(ctx, { organisationId, request: { type: 'ClinicianLicenseCredential', subject, claims, validUntil } })
 */
export async function issueCredential(
  ctx: AgentContext,
  input: {
    organisationId: string
    request: IssueCredentialRequest
    /** `Idempotency-Key`: a retry with the same key and request returns the first credential. */
    idempotencyKey?: string | undefined
  },
): Promise<IssuedCredential & { replayed?: true }> {
  const { request } = input
  const requestHash = input.idempotencyKey ? hashRequest(request) : null
  if (input.idempotencyKey) {
    const earlier = await issuedUnderKey(ctx, input.organisationId, input.idempotencyKey, requestHash!)
    if (earlier) return earlier
  }
  const format = request.format ?? 'jwt_vc'
  const cache = await hotFor(ctx, input.organisationId)
  const org = cache.org
  if (org.status !== 'active') {
    throw new ClavisError({
      code: 'did_deactivated',
      message: `Organisation ${org.id}'s DID is deactivated; it cannot issue.`,
    })
  }
  const kind = ISSUER_KIND[request.type]
  if (org.kind !== kind) {
    throw new ClavisError({
      code: 'forbidden',
      message: `A ${org.kind} cannot issue ${request.type}; only a ${kind} can.`,
    })
  }
  checkSubjectResolvable(request.subject, ctx.chain.chainId)
  if (format === 'dc+sd-jwt' && !request.holderJwk) {
    throw new ClavisError({
      code: 'invalid_request',
      message:
        "An SD-JWT VC is bound to the holder's key: send holderJwk (the public JWK of the wallet key).",
      issues: [{ path: 'holderJwk', code: 'required', message: 'required for dc+sd-jwt' }],
    })
  }
  if (format !== 'dc+sd-jwt' && request.holderJwk) {
    // A JWT-VC is bound to its subject DID; accepting the key would suggest a binding that is not there.
    throw new ClavisError({
      code: 'invalid_request',
      message: 'holderJwk binds an SD-JWT VC only: send format "dc+sd-jwt", or leave holderJwk out.',
      issues: [{ path: 'holderJwk', code: 'not_allowed', message: 'only with format dc+sd-jwt' }],
    })
  }
  if (request.holderJwk) {
    const { kty, crv, x, y } = request.holderJwk
    if (!jwkToPublicKey({ kty, crv, x, y })) {
      throw new ClavisError({
        code: 'invalid_request',
        message: `holderJwk is not a point of ${crv}: send the public JWK of the wallet key.`,
        issues: [{ path: 'holderJwk', code: 'invalid_key', message: `not a ${crv} public key` }],
      })
    }
  }
  const { checked, validFrom, validUntil } = checkIssuable(request, new Date())
  // Its key must stay published on chain for as long as the credential is valid.
  const signer = await ctx.signingKeys.signerFor(org.did, { until: validUntil })
  const repo = ctx.db.getRepository(IssuedCredentialEntity)
  const listFormat = LIST_FORMAT[format]
  for (let round = 0; round < 3; round++) {
    let group = cache.groups.get(listFormat)
    if (!group) {
      group = await openGroup(ctx, ctx.db.manager, {
        organisationId: org.id,
        issuerDid: org.did,
        format: listFormat,
      })
      cache.groups.set(listFormat, group)
    }
    const urls = listUrls(ctx, group, format)
    for (let attempt = 0; attempt < MAX_SLOT_TRIES; attempt++) {
      const id = newId()
      const index = randomIndex(group.size)
      const common = {
        type: request.type,
        issuer: org.did,
        subject: request.subject,
        claims: checked.value,
        validFrom,
        ...(validUntil ? { validUntil } : {}),
        id: `urn:uuid:${id}`,
      }
      const jwt =
        format !== 'dc+sd-jwt'
          ? await signJwtVc({ format, signer, credential: common, index, urls })
          : await issueSdJwtVc({
              type: request.type,
              issuer: org.did,
              kid: signer.kid,
              alg: signer.alg,
              signer: signer.signer,
              subject: request.subject,
              claims: checked.value as Record<string, unknown>,
              holderJwk: request.holderJwk as EcPublicJwk,
              validFrom,
              ...(validUntil ? { validUntil } : {}),
              status: tokenStatusEntry({ uri: urls[0]!, idx: index }),
              jti: `urn:uuid:${id}`,
            })
      const row: IssuedCredentialRow = {
        id,
        organisationId: org.id,
        type: request.type,
        issuerDid: org.did,
        subjectDid: request.subject,
        signerKid: signer.keyId,
        jwt,
        issuedAt: nowIso(),
        validFrom: validFrom.toISOString(),
        validUntil: validUntil ? validUntil.toISOString() : null,
        reissueRequired: false,
        format,
        statusGroup: group.id,
        statusIndex: index,
        status: 'valid',
        idempotencyKey: input.idempotencyKey ?? null,
        requestHash,
      }
      if (!(await cache.writer.insert(row))) {
        // Taken: the status slot, or (a concurrent retry) the idempotency key.
        if (input.idempotencyKey) {
          const earlier = await issuedUnderKey(ctx, org.id, input.idempotencyKey, requestHash!)
          if (earlier) return earlier
        }
        continue
      }
      await ctx.audit.record({
        kind: 'credential.issued',
        organisationId: org.id,
        credentialId: id,
        type: request.type,
        format,
        subjectDid: request.subject,
      })
      return toIssuedCredential(row)
    }
    // Many collisions: the group is filling up. Close it if it is, and try the next one.
    await closeGroupIfFull(ctx.db.manager, group, await repo.countBy({ statusGroup: group.id }))
    cache.groups.delete(listFormat)
  }
  throw new ClavisError({ code: 'conflict', message: 'No free status index was found; try again.' })
}

/** A JWT-VC with Bitstring Status List entries: VC 1.1 (`jwt_vc`) or VC 2.0 secured as a `vc+jwt`. */
async function signJwtVc(options: {
  format: 'jwt_vc' | 'vc+jwt'
  signer: DidSigner
  credential: Parameters<typeof buildCredential>[0]
  index: number
  urls: string[]
}): Promise<string> {
  const [revocationUrl, suspensionUrl] = options.urls as [string, string]
  const credential = {
    ...options.credential,
    credentialStatus: [
      bitstringStatusEntry({ listUrl: revocationUrl, index: options.index, purpose: 'revocation' }),
      bitstringStatusEntry({ listUrl: suspensionUrl, index: options.index, purpose: 'suspension' }),
    ],
  }
  const { signer } = options
  if (options.format === 'vc+jwt') return signVcJwt({ signer, credential })
  const unsigned = buildOrRefuse(() => buildCredential(credential))
  return createVerifiableCredentialJwt(
    unsigned as never,
    {
      did: signer.did,
      signer: (data) => signer.signer(typeof data === 'string' ? data : new TextDecoder().decode(data)),
      alg: signer.alg,
    },
    { header: { kid: signer.kid } },
  )
}
