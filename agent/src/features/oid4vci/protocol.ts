import { timingSafeEqual } from 'node:crypto'
import { didJwkOf } from '@clavis/did'
import { ClavisError, type ErrorCode, isErrorCode } from '@clavis/errors'
import {
  decodeJwt,
  Oauth2AuthorizationServer,
  Oauth2Error,
  Oauth2ServerErrorResponseError,
  preAuthorizedCodeGrantIdentifier,
  type RequestLike,
} from '@openid4vc/oauth2'
import type { AgentContext } from '../../context'
import { isPostgres, placeholders } from '../../db/sql'
import { hashToken, newOpaqueValue, nowIso } from '../../util/ids'
import { issueCredential } from '../issuance/issue'
import { getOrganisation } from '../organisations/organisations'
import { linkPatientOfOffer } from '../records/patients'
import { configurationById } from './configurations'
import { IssuerNonceEntity, OfferEntity, type OfferRow } from './entities'
import { createIssuerLibrary } from './library'
import { BATCH_SIZE, issuerMetadataResult } from './metadata'
import { MAX_TX_ATTEMPTS, txCodeHash } from './offers'

/** Life of an access token (seconds): the wallet asks for a nonce and the credential right away. */
export const ACCESS_TOKEN_TTL = 600
/** Life of a `c_nonce` (seconds). */
export const C_NONCE_TTL = 300
/** How far a proof's `iat` may be from now (seconds). */
const PROOF_MAX_SKEW = 300

const oauthError = (code: ErrorCode, message: string) => new ClavisError({ code, message })

/**
 * A library error as one of ours: its OAuth error code when we know it (`invalid_proof`,
 * `invalid_grant`, …), otherwise `fallback`; the description is kept.
 */
export function fromLibraryError(error: unknown, fallback: ErrorCode): ClavisError {
  if (error instanceof ClavisError) return error as ClavisError
  if (error instanceof Oauth2ServerErrorResponseError) {
    const code = error.errorResponse.error
    const description = error.errorResponse.error_description ?? error.message
    return oauthError(isErrorCode(code) ? code : fallback, description)
  }
  if (error instanceof Oauth2Error || error instanceof Error) return oauthError(fallback, error.message)
  return oauthError(fallback, String(error))
}

const equalHex = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'))

/**
 * Token endpoint (OpenID4VCI 1.0 §6, RFC 6749 §4.1.3 with the pre-authorized code grant): the
 * offer's code and its transaction code buy one access token, once. A wrong transaction code
 * counts; after {@link MAX_TX_ATTEMPTS} the offer is locked (its claims dropped) and even the right
 * code is refused. Errors: `unsupported_grant_type`, `invalid_request` (no transaction code),
 * `invalid_grant` (unknown, used, expired or locked code, wrong transaction code).
 *
 * @example
 * const token = await redeemPreAuthorizedCode(ctx, { organisationId, request, form })
 */
export async function redeemPreAuthorizedCode(
  ctx: AgentContext,
  input: { organisationId: string; request: RequestLike; form: Record<string, string> },
): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number }> {
  const { callbacks } = createIssuerLibrary(ctx)
  let grant: ReturnType<Oauth2AuthorizationServer['parseAccessTokenRequest']>['grant']
  try {
    grant = new Oauth2AuthorizationServer({ callbacks }).parseAccessTokenRequest({
      request: input.request,
      accessTokenRequest: input.form,
    }).grant
  } catch (error) {
    throw fromLibraryError(error, 'invalid_request')
  }
  if (grant.grantType !== preAuthorizedCodeGrantIdentifier)
    throw oauthError(
      'unsupported_grant_type',
      `This issuer supports the ${preAuthorizedCodeGrantIdentifier} grant only.`,
    )
  const repo = ctx.db.getRepository(OfferEntity)
  const row = await repo.findOneBy({
    codeHash: hashToken(grant.preAuthorizedCode),
    organisationId: input.organisationId,
  })
  const now = nowIso()
  if (!row) throw oauthError('invalid_grant', 'Unknown pre-authorized code: ask the issuer for a new offer.')
  if (row.state === 'locked')
    throw oauthError(
      'invalid_grant',
      'The offer is locked after too many wrong transaction codes: ask the issuer for a new one.',
    )
  if (row.state !== 'offered') throw oauthError('invalid_grant', 'The pre-authorized code was already used.')
  if (row.expiresAt <= now)
    throw oauthError('invalid_grant', 'The offer has expired: ask the issuer for a new one.')
  if (grant.txCode === undefined)
    throw oauthError(
      'invalid_request',
      'This offer needs its transaction code (tx_code), given to you with the offer.',
    )
  if (!equalHex(txCodeHash(row.id, grant.txCode), row.txCodeHash)) {
    const left = await countWrongTxCode(ctx, row)
    throw oauthError(
      'invalid_grant',
      left > 0
        ? `Wrong transaction code: ${left} attempt${left === 1 ? '' : 's'} left.`
        : 'Wrong transaction code: the offer is now locked; ask the issuer for a new one.',
    )
  }
  const token = newOpaqueValue(32)
  const tokenExpiresAt = new Date(Date.now() + ACCESS_TOKEN_TTL * 1000).toISOString()
  // Conditional: of two redemptions racing, one wins; a code never buys two tokens.
  const result = await repo
    .createQueryBuilder()
    .update()
    .set({ state: 'redeemed', tokenHash: hashToken(token), tokenExpiresAt })
    .where('id = :id AND state = :offered AND expires_at > :now', { id: row.id, offered: 'offered', now })
    .execute()
  if (result.affected !== 1) throw oauthError('invalid_grant', 'The pre-authorized code was already used.')
  await ctx.audit.record({ kind: 'offer.redeemed', organisationId: row.organisationId, offerId: row.id })
  return { access_token: token, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL }
}

/** Counts a wrong transaction code (locking the offer at the limit); the attempts left. */
async function countWrongTxCode(ctx: AgentContext, row: OfferRow): Promise<number> {
  const [p1, p2] = placeholders(ctx.db, 2).split(', ')
  const out: unknown = await ctx.db.query(
    `UPDATE clavis_credential_offer
        SET tx_attempts = tx_attempts + 1,
            state = CASE WHEN tx_attempts + 1 >= ${MAX_TX_ATTEMPTS} THEN 'locked' ELSE state END,
            request = CASE WHEN tx_attempts + 1 >= ${MAX_TX_ATTEMPTS} THEN NULL ELSE request END
      WHERE id = ${p1} AND state = ${p2}
      RETURNING tx_attempts, state`,
    [row.id, 'offered'],
  )
  const rows = (isPostgres(ctx.db) ? (out as [unknown[], number])[0] : out) as {
    tx_attempts: number
    state: string
  }[]
  const after = rows[0]
  if (after?.state === 'locked')
    await ctx.audit.record({ kind: 'offer.locked', organisationId: row.organisationId, offerId: row.id })
  return after ? Math.max(0, MAX_TX_ATTEMPTS - Number(after.tx_attempts)) : 0
}

/**
 * Nonce endpoint (OpenID4VCI 1.0 §7): a fresh single-use `c_nonce` for the wallet's proofs, valid
 * {@link C_NONCE_TTL} seconds. Expired ones are swept as new ones are made.
 */
export async function newIssuerNonce(
  ctx: AgentContext,
  organisationId: string,
): Promise<{ c_nonce: string }> {
  await getOrganisation(ctx, organisationId)
  const nonce = newOpaqueValue(24)
  const repo = ctx.db.getRepository(IssuerNonceEntity)
  await repo.createQueryBuilder().delete().where('expires_at <= :now', { now: nowIso() }).execute()
  await repo.insert({
    nonce,
    organisationId,
    expiresAt: new Date(Date.now() + C_NONCE_TTL * 1000).toISOString(),
  })
  return { c_nonce: nonce }
}

/** Uses up a `c_nonce` of this issuer: false when it is unknown, used or expired. */
async function consumeIssuerNonce(
  ctx: AgentContext,
  organisationId: string,
  nonce: string,
): Promise<boolean> {
  const result = await ctx.db
    .getRepository(IssuerNonceEntity)
    .createQueryBuilder()
    .delete()
    .where('nonce = :nonce AND organisation_id = :organisationId AND expires_at > :now', {
      nonce,
      organisationId,
      now: nowIso(),
    })
    .execute()
  return result.affected === 1
}

/** The offer an access token was issued for, or `invalid_token` (RFC 6750 §3.1). */
async function offerOfToken(ctx: AgentContext, organisationId: string, authorization: string | undefined) {
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/.exec(authorization ?? '')
  if (!match)
    throw oauthError(
      'invalid_token',
      'Send the access token from the token endpoint as "Authorization: Bearer <token>".',
    )
  const row = await ctx.db
    .getRepository(OfferEntity)
    .findOneBy({ tokenHash: hashToken(match[1]!), organisationId })
  if (!row || row.state === 'locked' || !row.tokenExpiresAt || row.tokenExpiresAt <= nowIso())
    throw oauthError(
      'invalid_token',
      'The access token is unknown or has expired: redeem the offer again or ask for a new one.',
    )
  if (row.state === 'issued' || row.request === null)
    throw oauthError('invalid_token', 'Everything this access token was for has been issued.')
  return row
}

/**
 * Credential endpoint (OpenID4VCI 1.0 §8): for a configuration the token's offer names and not yet
 * issued under it, one credential per proof (`proofs.jwt`, at most {@link BATCH_SIZE}, for
 * unlinkable copies), each bound to the key its proof shows: the proof is an
 * `openid4vci-proof+jwt` signed by an authentication key of a did:ethr (the `kid`), for this issuer
 * (`aud`), with a fresh `c_nonce` (used up) and an `iat` within 5 minutes. The JWT-VC's subject is
 * that DID; the SD-JWT VC's `sub` is the DID and its `cnf` the key. Errors: `invalid_token`,
 * `unknown_credential_configuration`, `invalid_credential_request`, `invalid_nonce`, `invalid_proof`.
 *
 * @example
 * const response = await issueForOffer(ctx, { organisationId, authorization, body })
 */
export async function issueForOffer(
  ctx: AgentContext,
  input: { organisationId: string; authorization: string | undefined; body: unknown },
): Promise<{ credentials: { credential: string }[] }> {
  const row = await offerOfToken(ctx, input.organisationId, input.authorization)
  const org = await getOrganisation(ctx, input.organisationId)
  const { issuer, metadata } = issuerMetadataResult(ctx, org)
  let parsed: ReturnType<typeof issuer.parseCredentialRequest>
  try {
    parsed = issuer.parseCredentialRequest({
      issuerMetadata: metadata,
      credentialRequest: input.body as Record<string, unknown>,
    })
  } catch (error) {
    const id = (input.body as { credential_configuration_id?: unknown } | null)?.credential_configuration_id
    if (typeof id === 'string' && !configurationById(id))
      throw oauthError(
        'unknown_credential_configuration',
        `This issuer has no credential configuration "${id}".`,
      )
    throw fromLibraryError(error, 'invalid_credential_request')
  }
  const configurationId = parsed.credentialConfigurationId
  const configuration = configurationId ? configurationById(configurationId) : undefined
  if (!configurationId || !configuration)
    throw oauthError(
      'invalid_credential_request',
      'Name the credential with credential_configuration_id (one of the offer’s credential_configuration_ids).',
    )
  const offered = JSON.parse(row.configurationIds) as string[]
  if (!offered.includes(configurationId))
    throw oauthError(
      'invalid_credential_request',
      `The access token's offer does not cover "${configurationId}": it offers ${offered.join(', ')}.`,
    )
  const issued = JSON.parse(row.issued) as { configurationId: string; credentialId: string }[]
  if (issued.some((i) => i.configurationId === configurationId))
    throw oauthError(
      'invalid_credential_request',
      `"${configurationId}" was already issued under this offer.`,
    )
  const proofs = parsed.proofs?.jwt ?? []
  if (proofs.length === 0 || proofs.length > BATCH_SIZE)
    throw oauthError(
      'invalid_proof',
      `Send 1 to ${BATCH_SIZE} key proofs in proofs.jwt (openid4vci-proof+jwt).`,
    )
  const nonces = new Set(proofs.map((jwt) => nonceOf(jwt)))
  const [nonce] = nonces
  if (nonces.size !== 1 || typeof nonce !== 'string')
    throw oauthError(
      'invalid_nonce',
      'Every proof carries the c_nonce from the nonce endpoint: ask it for one.',
    )
  if (!(await consumeIssuerNonce(ctx, row.organisationId, nonce)))
    throw oauthError(
      'invalid_nonce',
      'The c_nonce is unknown, used or expired: ask the nonce endpoint for a new one.',
    )
  const holders = []
  for (const jwt of proofs) {
    let verified: Awaited<ReturnType<typeof issuer.verifyCredentialRequestJwtProof>>
    try {
      verified = await issuer.verifyCredentialRequestJwtProof({
        issuerMetadata: metadata,
        jwt,
        expectedNonce: nonce,
      })
    } catch (error) {
      throw fromLibraryError(error, 'invalid_proof')
    }
    const signer = verified.signer
    if ((signer.method !== 'did' && signer.method !== 'jwk') || !signer.publicJwk)
      throw oauthError(
        'invalid_proof',
        'Sign the proof with a did:ethr or did:jwk key named in kid, or put the key in jwk.',
      )
    const iat = Number(verified.payload.iat)
    if (!Number.isFinite(iat) || Math.abs(Date.now() / 1000 - iat) > PROOF_MAX_SKEW)
      throw oauthError('invalid_proof', 'The proof’s iat must be within 5 minutes of now.')
    const { kty, crv, x, y } = signer.publicJwk as Record<string, string>
    const jwk = { kty: kty!, crv: crv as 'P-256' | 'secp256k1', x: x!, y: y! }
    holders.push({ did: signer.method === 'did' ? signer.didUrl.split('#')[0]! : didJwkOf(jwk), jwk })
  }
  const request = JSON.parse(row.request!) as {
    claims: Record<string, unknown>
    validFrom?: string
    validUntil?: string
  }
  const credentials: { credential: string }[] = []
  const made: { configurationId: string; credentialId: string }[] = []
  for (const [index, holder] of holders.entries()) {
    const vc = await issueCredential(ctx, {
      organisationId: row.organisationId,
      request: {
        type: configuration.type,
        format: configuration.format === 'dc+sd-jwt' ? 'dc+sd-jwt' : 'jwt_vc',
        subject: holder.did,
        ...(configuration.format === 'dc+sd-jwt' ? { holderJwk: holder.jwk as never } : {}),
        claims: request.claims,
        ...(request.validFrom ? { validFrom: request.validFrom } : {}),
        ...(request.validUntil ? { validUntil: request.validUntil } : {}),
      },
      // A retry after a crash between issuing and recording gets the same credential back.
      idempotencyKey: `oid4vci:${row.id}:${configurationId}:${index}`,
    })
    credentials.push({ credential: vc.jwt })
    made.push({ configurationId, credentialId: vc.id })
  }
  await recordIssued(ctx, row, made)
  // A patient's identity credential links the DID it was issued to with their records here.
  if (configuration.type === 'PatientIdentityCredential' && holders[0])
    await linkPatientOfOffer(ctx, {
      organisationId: row.organisationId,
      offerId: row.id,
      did: holders[0].did,
    })
  return issuer.createCredentialResponse({ credentialRequest: parsed, credentials }) as {
    credentials: { credential: string }[]
  }
}

function nonceOf(jwt: string): unknown {
  try {
    return decodeJwt({ jwt }).payload.nonce
  } catch {
    return undefined
  }
}

/** Adds what was issued to the offer; when every configuration is issued the claims are dropped. */
async function recordIssued(
  ctx: AgentContext,
  row: OfferRow,
  made: { configurationId: string; credentialId: string }[],
): Promise<void> {
  await ctx.db.transaction(async (m) => {
    const repo = m.getRepository(OfferEntity)
    const current = await repo.findOneBy({ id: row.id })
    if (!current) return
    const issued = [...(JSON.parse(current.issued) as typeof made), ...made]
    const offered = JSON.parse(current.configurationIds) as string[]
    const done = offered.every((id) => issued.some((i) => i.configurationId === id))
    await repo.update(
      { id: row.id },
      { issued: JSON.stringify(issued), ...(done ? { state: 'issued' as const, request: null } : {}) },
    )
  })
}
