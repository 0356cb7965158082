import { randomInt } from 'node:crypto'
import type { CreatedOfferResponse as CreatedOffer, OfferStatusResponse as OfferStatus } from '@clavis/api'
import { ClavisError } from '@clavis/errors'
import { preAuthorizedCodeGrantIdentifier } from '@openid4vc/oauth2'
import type { AgentContext } from '../../context'
import { hashToken, newId, nowIso } from '../../util/ids'
import { checkIssuable } from '../issuance/issue'
import { getOrganisation } from '../organisations/organisations'
import { type ConfigurationFormat, configurationsOf, OFFERED_BY, type OfferableType } from './configurations'
import { OfferEntity, type OfferRow } from './entities'
import { issuerMetadataResult, issuerUrl } from './metadata'

/** Digits of the transaction code (OpenID4VCI 1.0 §4.1.1 `tx_code`), sent to the holder out of band. */
export const TX_CODE_LENGTH = 6
/** Wrong transaction codes an offer takes before it is locked. */
export const MAX_TX_ATTEMPTS = 5
/** Default and longest life of an offer, seconds. */
const DEFAULT_OFFER_TTL = 900
export const MAX_OFFER_TTL = 86_400

/** What staff ask for: one credential, its claims and validity, in the formats the wallet may choose. */
export interface OfferRequest {
  type: OfferableType
  claims: Record<string, unknown>
  validFrom?: string | undefined
  validUntil?: string | undefined
  formats?: ConfigurationFormat[] | undefined
  ttlSeconds?: number | undefined
}

/** SHA-256 hex of an offer's transaction code, salted with the offer id. */
export const txCodeHash = (offerId: string, txCode: string) => hashToken(`${offerId}:${txCode}`)

/**
 * Makes a credential offer (OpenID4VCI 1.0 §4.1) for the pre-authorized code flow: the claims are
 * checked now (422 `invalid_claims`), kept until the credential is issued, and the wallet binds
 * the credential to its own key. Only a board offers licences and only a hospital identity
 * credentials (403). The offer lives `ttlSeconds` (default 15 min); its code is single-use and
 * needs the transaction code, which only this answer carries.
 *
 * @example
 * const offer = await createOffer(ctx, { organisationId, request: { type: 'ClinicianLicenseCredential', claims } })
 */
export async function createOffer(
  ctx: AgentContext,
  input: { organisationId: string; request: OfferRequest },
): Promise<CreatedOffer> {
  const { request } = input
  const org = await getOrganisation(ctx, input.organisationId)
  if (org.status !== 'active')
    throw new ClavisError({
      code: 'did_deactivated',
      message: `Organisation ${org.id}'s DID is deactivated.`,
    })
  if (OFFERED_BY[org.kind] !== request.type)
    throw new ClavisError({
      code: 'forbidden',
      message: `A ${org.kind} offers ${OFFERED_BY[org.kind]}, not ${request.type}.`,
    })
  checkIssuable(request, new Date())
  const formats = request.formats ?? ['jwt_vc_json', 'dc+sd-jwt']
  const configurationIds = configurationsOf(request.type)
    .filter((c) => formats.includes(c.format))
    .map((c) => c.id)
  const id = newId()
  const code = preAuthorizedCode(ctx, id)
  const txCode = String(randomInt(0, 10 ** TX_CODE_LENGTH)).padStart(TX_CODE_LENGTH, '0')
  const expiresAt = new Date(Date.now() + (request.ttlSeconds ?? DEFAULT_OFFER_TTL) * 1000).toISOString()
  const byReference = await buildOffer(ctx, org, { id, code, configurationIds, byReference: true })
  const byValue = await buildOffer(ctx, org, { id, code, configurationIds, byReference: false })
  const row: OfferRow = {
    id,
    organisationId: org.id,
    credentialType: request.type,
    configurationIds: JSON.stringify(configurationIds),
    request: JSON.stringify({
      claims: request.claims,
      validFrom: request.validFrom,
      validUntil: request.validUntil,
    }),
    codeHash: hashToken(code),
    txCodeHash: txCodeHash(id, txCode),
    txAttempts: 0,
    state: 'offered',
    expiresAt,
    tokenHash: null,
    tokenExpiresAt: null,
    issued: '[]',
    createdAt: nowIso(),
  }
  await ctx.db.getRepository(OfferEntity).insert(row)
  await dropStaleClaims(ctx)
  await ctx.audit.record({
    kind: 'offer.created',
    organisationId: org.id,
    offerId: id,
    type: request.type,
    configurations: configurationIds,
  })
  return {
    id,
    type: request.type,
    configurationIds,
    offerUri: byReference.credentialOffer,
    offerUriByValue: byValue.credentialOffer,
    credentialOffer: byValue.credentialOfferObject as Record<string, unknown>,
    txCode,
    expiresAt,
  }
}

/**
 * Claims are kept only while an offer can still be used: those of offers that expired unredeemed,
 * or whose access token expired before everything was issued, are dropped (swept as offers are
 * made). Issued and locked offers drop theirs at once.
 */
async function dropStaleClaims(ctx: AgentContext): Promise<void> {
  const now = nowIso()
  await ctx.db
    .getRepository(OfferEntity)
    .createQueryBuilder()
    .update()
    .set({ request: null })
    .where(
      "request IS NOT NULL AND ((state = 'offered' AND expires_at <= :now) OR (state = 'redeemed' AND token_expires_at <= :now))",
      { now },
    )
    .execute()
}

/**
 * An offer's pre-authorized code: recomputed from the key-store secret, stored only as a hash, so
 * the offer can be served again by reference while a copy of the database alone redeems nothing.
 */
function preAuthorizedCode(ctx: AgentContext, offerId: string): string {
  return ctx.derive('oid4vci/pre-authorized-code', offerId)
}

/** The credential offer (OpenID4VCI 1.0 §4.1.1) and its URI, by value or by reference. */
async function buildOffer(
  ctx: AgentContext,
  org: { id: string; name: string; did: string; kind: 'board' | 'hospital' },
  o: { id: string; code: string; configurationIds: string[]; byReference: boolean },
) {
  const { issuer, metadata } = issuerMetadataResult(ctx, org)
  return issuer.createCredentialOffer({
    issuerMetadata: metadata,
    credentialConfigurationIds: o.configurationIds,
    grants: {
      [preAuthorizedCodeGrantIdentifier]: {
        'pre-authorized_code': o.code,
        tx_code: {
          input_mode: 'numeric',
          length: TX_CODE_LENGTH,
          description: `The ${TX_CODE_LENGTH}-digit code ${org.name} gave you with this offer.`,
        },
      },
    },
    ...(o.byReference ? { credentialOfferUri: `${issuerUrl(ctx, org.id)}/offers/${o.id}` } : {}),
  })
}

/**
 * The offer object served at its `credential_offer_uri` (OpenID4VCI 1.0 §4.1.3), or `not_found`
 * once it can no longer be redeemed (used, locked or expired).
 */
export async function offerObject(
  ctx: AgentContext,
  input: { organisationId: string; offerId: string },
): Promise<Record<string, unknown>> {
  const row = await ctx.db
    .getRepository(OfferEntity)
    .findOneBy({ id: input.offerId, organisationId: input.organisationId })
  if (row?.state !== 'offered' || row.expiresAt <= nowIso())
    throw new ClavisError({
      code: 'not_found',
      message: 'No such credential offer, or it was used or has expired: ask the issuer for a new one.',
    })
  const org = await getOrganisation(ctx, row.organisationId)
  const built = await buildOffer(ctx, org, {
    id: row.id,
    code: preAuthorizedCode(ctx, row.id),
    configurationIds: JSON.parse(row.configurationIds) as string[],
    byReference: false,
  })
  return built.credentialOfferObject as Record<string, unknown>
}

/** How an offer stands (staff of the organisation). */
export async function getOffer(
  ctx: AgentContext,
  input: { organisationId: string; offerId: string },
): Promise<OfferStatus> {
  const row = await ctx.db
    .getRepository(OfferEntity)
    .findOneBy({ id: input.offerId, organisationId: input.organisationId })
  if (!row)
    throw new ClavisError({
      code: 'not_found',
      message: `No offer "${input.offerId}" of this organisation. Make one with POST /v1/organisations/{id}/offers.`,
    })
  return toOfferStatus(row)
}

export function toOfferStatus(row: OfferRow): OfferStatus {
  const now = nowIso()
  const expired =
    (row.state === 'offered' && row.expiresAt <= now) ||
    (row.state === 'redeemed' && (row.tokenExpiresAt ?? '') <= now)
  return {
    id: row.id,
    type: row.credentialType,
    configurationIds: JSON.parse(row.configurationIds) as string[],
    state: expired ? 'expired' : row.state,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    issued: JSON.parse(row.issued) as OfferStatus['issued'],
  }
}
