import type {
  CreatedVpRequestResponse as CreatedVpRequest,
  VpRequestStatusResponse as VpRequestStatus,
} from '@clavis/api'
import {
  base64urlJson,
  curveOf,
  fromHex,
  parseBase64urlJson,
  publicKeyOf,
  publicKeyToJwk,
  sha256,
} from '@clavis/crypto'
import { ClavisError } from '@clavis/errors'
import { vctFor } from '@clavis/sd-jwt'
import {
  type PresentationVerificationResult,
  verifyPresentation as verifyPresentationEnvelope,
} from '@clavis/verify'
import type { Jwk } from '@openid4vc/oauth2'
import { Openid4vpVerifier } from '@openid4vc/openid4vp'
import { DcqlPresentationResult } from 'dcql'
import { compactDecrypt, importJWK } from 'jose'
import { auditedChecks } from '../../audit/audit'
import type { AgentContext } from '../../context'
import { newId, newOpaqueValue, nowIso } from '../../util/ids'
import { accessTrust, decideAccessRequest } from '../access/decision'
import type { AccessDecision } from '../access/policy'
import { getOrganisation } from '../organisations/organisations'
import { assertChainAnswered, verifierContext } from '../presentations/verify'
import { checkDcqlQuery, pickClaims } from './dcql'
import { VpRequestEntity, type VpRequestRow } from './entities'

/** How long a response taken but never verified (a kill while verifying) blocks the request. */
const ABANDONED_AFTER_MS = 60_000
/** Default and longest life of a presentation request, seconds. */
const DEFAULT_TTL = 300
/** The algorithms Clavis verifies, for every format it asks for. */
const ALGS: [string, ...string[]] = ['ES256K', 'ES256']

/** The client identifier of a verifier organisation: its DID (OpenID4VP 1.0 §5.9.3). */
export const clientIdOf = (did: string) => `decentralized_identifier:${did}`

const refuse = (what: string) => () => {
  throw new ClavisError({
    code: 'internal',
    message: `The verifier library was asked to ${what}: it never should.`,
  })
}

/** The JWE algorithms of an encrypted response (`direct_post.jwt`). */
const RESPONSE_ENC = ['A128GCM', 'A256GCM']

/**
 * The P-256 key a request's encrypted response (`direct_post.jwt`) is encrypted to: derived from
 * the key-store secret and the request id, so it is stored nowhere and is different for every
 * request (ECDH-ES, OpenID4VP 1.0 §8.3).
 */
function responseKey(ctx: AgentContext, requestId: string) {
  const seed = Buffer.from(ctx.derive('oid4vp/response-key', requestId), 'base64url')
  const n = curveOf('ES256').CURVE.n
  const scalar = (BigInt(`0x${seed.toString('hex')}`) % (n - 1n)) + 1n
  const privateKey = fromHex(scalar.toString(16).padStart(64, '0'))!
  const jwk = publicKeyToJwk({ alg: 'ES256', publicKey: publicKeyOf('ES256', privateKey) })
  return {
    publicJwk: { ...jwk, kid: requestId, use: 'enc', alg: 'ECDH-ES' },
    privateJwk: { ...jwk, d: Buffer.from(privateKey).toString('base64url') },
  }
}

/** What a verifier organisation sees of a presentation it received: every check, only the claims asked for. */
type VpResult = NonNullable<VpRequestStatus['result']>

/**
 * A verifier organisation asks for a presentation (OpenID4VP 1.0): a signed request object by
 * reference (`request_uri`), the verifier identified as its DID (`decentralized_identifier:`), a
 * DCQL query (checked: `invalid_request`), `response_mode` `direct_post` to this agent, a fresh
 * nonce. The request object is signed with the organisation's assertion key (`kid` its DID URL).
 *
 * @example
 * const r = await createVpRequest(ctx, { organisationId, dcql: { credentials: [...] } })
 */
export async function createVpRequest(
  ctx: AgentContext,
  input: {
    organisationId: string
    dcql: unknown
    ttlSeconds?: number | undefined
    responseMode?: 'direct_post' | 'direct_post.jwt' | undefined
    /** An access request (features/access): its state, and the hash of its asker's secret. */
    access?: { state: string; secretHash: string } | undefined
  },
): Promise<CreatedVpRequest> {
  const org = await getOrganisation(ctx, input.organisationId)
  if (org.status !== 'active')
    throw new ClavisError({
      code: 'did_deactivated',
      message: `Organisation ${org.id}'s DID is deactivated.`,
    })
  checkDcqlQuery(input.dcql)
  const id = newId()
  const nonce = newOpaqueValue(24)
  const ttl = input.ttlSeconds ?? DEFAULT_TTL
  const base = `${ctx.publicUrl}/verifiers/${org.id}/requests/${id}`
  const clientId = clientIdOf(org.did)
  const signer = await ctx.signingKeys.signerFor(org.did)
  const verifier = new Openid4vpVerifier({
    callbacks: {
      hash: (data) => sha256(data),
      signJwt: async (_signer, { header, payload }) => {
        const input = `${base64urlJson(header)}.${base64urlJson(payload)}`
        return {
          jwt: `${input}.${await signer.signer(input)}`,
          signerJwk: publicKeyToJwk({ alg: 'ES256K', publicKey: fromHex(signer.publicKeyHex)! }) as Jwk,
        }
      },
      verifyJwt: refuse('verify'),
      encryptJwe: refuse('encrypt'),
      decryptJwe: refuse('decrypt'),
    },
  })
  const created = await verifier.createOpenId4vpAuthorizationRequest({
    authorizationRequestPayload: {
      response_type: 'vp_token',
      client_id: clientId,
      response_uri: `${base}/response`,
      response_mode: input.responseMode ?? 'direct_post',
      nonce,
      state: id,
      dcql_query: input.dcql as Record<string, unknown>,
      client_metadata: {
        vp_formats_supported: {
          'dc+sd-jwt': { 'sd-jwt_alg_values': ALGS, 'kb-jwt_alg_values': ALGS },
          jwt_vc_json: { alg_values: ALGS },
        },
        ...(input.responseMode === 'direct_post.jwt'
          ? {
              jwks: { keys: [responseKey(ctx, id).publicJwk] },
              encrypted_response_enc_values_supported: RESPONSE_ENC,
            }
          : {}),
      },
    },
    jar: {
      requestUri: base,
      jwtSigner: { method: 'did', didUrl: signer.kid, alg: 'ES256K' },
      expiresInSeconds: ttl,
      additionalJwtPayload: { aud: 'https://self-issued.me/v2' },
    },
  })
  const expiresAt = new Date(Date.now() + ttl * 1000).toISOString()
  const row: VpRequestRow = {
    id,
    organisationId: org.id,
    nonce,
    requestPayload: JSON.stringify(created.authorizationRequestPayload),
    requestJwt: created.jar!.authorizationRequestJwt,
    state: 'pending',
    expiresAt,
    result: null,
    createdAt: nowIso(),
    respondedAt: null,
    purpose: input.access ? 'access' : 'present',
    codeHash: input.access?.secretHash ?? null,
    access: input.access?.state ?? null,
  }
  await ctx.db.getRepository(VpRequestEntity).insert(row)
  return { id, requestUri: created.authorizationRequest, clientId, expiresAt }
}

/** The signed request object at its `request_uri`, while the request can be answered. */
export async function requestObject(
  ctx: AgentContext,
  input: { organisationId: string; requestId: string },
): Promise<string> {
  const row = await ctx.db
    .getRepository(VpRequestEntity)
    .findOneBy({ id: input.requestId, organisationId: input.organisationId })
  if (row?.state !== 'pending' || row.expiresAt <= nowIso())
    throw new ClavisError({
      code: 'not_found',
      message:
        'No such presentation request, or it was answered or has expired: ask the verifier for a new one.',
    })
  return row.requestJwt
}

/** How a request stands (staff of the verifier). */
export async function getVpRequest(
  ctx: AgentContext,
  input: { organisationId: string; requestId: string },
): Promise<VpRequestStatus> {
  const row = await ctx.db
    .getRepository(VpRequestEntity)
    .findOneBy({ id: input.requestId, organisationId: input.organisationId })
  if (!row)
    throw new ClavisError({
      code: 'not_found',
      message: `No presentation request "${input.requestId}" of this organisation.`,
    })
  const expired = row.state === 'pending' && row.expiresAt <= nowIso()
  return {
    id: row.id,
    state: expired ? 'expired' : row.state,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    ...(row.result ? { result: JSON.parse(row.result) as VpResult } : {}),
  }
}

type DcqlRecord = Record<string, unknown>

/** The DCQL view of a verified presentation (what the query's claim paths are matched against). */
function dcqlRecordOf(presentation: string, result: PresentationVerificationResult): DcqlRecord | undefined {
  const credential = result.credentials[0]
  if (result.format === 'dc+sd-jwt') {
    const vct = credential?.type
      ? vctFor(credential.type)
      : (parseBase64urlJson(presentation.split('.')[1] ?? '') as { vct?: unknown } | undefined)?.vct
    return {
      credential_format: 'dc+sd-jwt',
      vct,
      claims: result.disclosed ?? {},
      cryptographic_holder_binding: true,
    }
  }
  if (result.format === 'jwt_vp' && result.credentials.length === 1) {
    const vp = parseBase64urlJson(presentation.split('.')[1] ?? '') as {
      vp?: { verifiableCredential?: unknown[] }
    }
    const jwt = vp?.vp?.verifiableCredential?.[0]
    if (typeof jwt !== 'string') return undefined
    const payload = parseBase64urlJson(jwt.split('.')[1] ?? '') as {
      vc?: Record<string, unknown>
      sub?: string
    }
    const vc = payload?.vc ?? {}
    const subject = { ...(vc.credentialSubject as Record<string, unknown>), id: payload?.sub }
    return {
      credential_format: 'jwt_vc_json',
      type: vc.type,
      claims: { ...vc, credentialSubject: subject },
      cryptographic_holder_binding: true,
    }
  }
  return undefined
}

/** The claims of a DCQL record the query asked for. */
function askedClaims(record: DcqlRecord | undefined, paths: (string | number | null)[][]) {
  return record ? pickClaims(record.claims, paths) : {}
}

/**
 * The response endpoint (`direct_post`, OpenID4VP 1.0 §8.2): takes the one response a request
 * accepts (a second, or one after expiry, is `invalid_request`), verifies every presentation in the
 * `vp_token` with the agent's verifier — nonce the request's, audience the verifier's client id,
 * issuers on its trust list, status lists — checks the valid ones satisfy the DCQL query, and
 * stores the result: each check and only the claims asked for. Not valid → `invalid_request`
 * for the wallet (the result says why to the verifier's staff).
 *
 * @example
 * const r = await acceptVpResponse(ctx, { organisationId, requestId, form })
 */
export async function acceptVpResponse(
  ctx: AgentContext,
  input: { organisationId: string; requestId: string; form: Record<string, string> },
): Promise<VpResult> {
  const repo = ctx.db.getRepository(VpRequestEntity)
  const row = await repo.findOneBy({ id: input.requestId, organisationId: input.organisationId })
  const invalid = (message: string) => new ClavisError({ code: 'invalid_request', message })
  if (!row) throw new ClavisError({ code: 'not_found', message: 'No such presentation request.' })
  if (row.state !== 'pending' && row.result !== null)
    throw invalid('This request was already answered: ask the verifier for a new one.')
  if (row.expiresAt <= nowIso()) throw invalid('This request has expired: ask the verifier for a new one.')
  const payload = JSON.parse(row.requestPayload) as Record<string, unknown> & {
    client_id: string
    dcql_query: unknown
  }
  const verifier = new Openid4vpVerifier({
    callbacks: {
      hash: (data) => sha256(data),
      signJwt: refuse('sign'),
      verifyJwt: refuse('verify'),
      encryptJwe: refuse('encrypt'),
      decryptJwe: refuse('decrypt'),
    },
  })
  let presentations: Record<string, unknown[]>
  try {
    const parsed = await verifier.parseOpenid4vpAuthorizationResponse({
      authorizationResponse: input.form,
      authorizationRequestPayload: payload as never,
      callbacks: {
        // direct_post.jwt: the response is a JWE to this request's own key.
        decryptJwe: async (jwe) => {
          const { publicJwk, privateJwk } = responseKey(ctx, row.id)
          try {
            const { plaintext } = await compactDecrypt(jwe, await importJWK(privateJwk, 'ECDH-ES'), {
              keyManagementAlgorithms: ['ECDH-ES'],
              contentEncryptionAlgorithms: RESPONSE_ENC,
            })
            return {
              decrypted: true,
              decryptionJwk: publicJwk as Jwk,
              payload: new TextDecoder().decode(plaintext),
            }
          } catch {
            return { decrypted: false }
          }
        },
        verifyJwt: refuse('verify'),
      },
    })
    if (parsed.type !== 'dcql') throw invalid('Answer with a DCQL vp_token.')
    presentations = parsed.dcql.presentations as Record<string, unknown[]>
  } catch (error) {
    if (error instanceof ClavisError) throw error
    throw invalid(
      `The response is not an OpenID4VP response to this request: ${(error as Error).message.slice(0, 300)}`,
    )
  }
  // One response per request: of two racing, one is taken. A response whose verification never
  // finished (the agent was killed while verifying: taken, no result) may be sent again after a minute.
  const now = nowIso()
  const abandoned = new Date(Date.now() - ABANDONED_AFTER_MS).toISOString()
  const claimed = await repo
    .createQueryBuilder()
    .update()
    .set({ state: 'responded', respondedAt: now })
    .where(
      'id = :id AND expires_at > :now AND (state = :pending OR (state = :responded AND result IS NULL AND responded_at < :abandoned))',
      { id: row.id, pending: 'pending', responded: 'responded', now, abandoned },
    )
    .execute()
  if (claimed.affected !== 1)
    throw invalid('This request was already answered: ask the verifier for a new one.')
  let result: VpResult
  let decision: AccessDecision | undefined
  try {
    result = await verifyResponse(ctx, row, payload, presentations)
    // Only a presentation its holder signed for this request's nonce uses the request up: whoever
    // merely saw the QR code cannot spend it with junk (the catch below reopens it).
    const bound = Object.values(result.presentations)
      .flat()
      .some((p) => p.checks.signature.passed && p.checks.nonceAudience.passed)
    if (!bound) {
      // Kept for the verifier's staff to see why (the last refused answer); the request reopens.
      await repo.update({ id: row.id }, { result: JSON.stringify(result) })
      throw invalid(
        'The response holds no presentation signed by its holder for this request (its nonce and audience); the request stays open.',
      )
    }
    // An access request keeps its result with its decision (one write).
    if (row.purpose === 'access') decision = await decideAccessRequest(ctx, row, result, presentations)
    else await repo.update({ id: row.id }, { result: JSON.stringify(result) })
  } catch (error) {
    // An outage, or a response that was not for this request, decided nothing: the request stays open.
    await repo.update({ id: row.id }, { state: 'pending', respondedAt: null })
    throw error
  }
  if (decision && !decision.permitted)
    throw new ClavisError({ code: 'access_denied', message: decision.message })
  return result
}

async function verifyResponse(
  ctx: AgentContext,
  row: VpRequestRow,
  payload: { client_id: string; dcql_query: unknown },
  presentations: Record<string, unknown[]>,
): Promise<VpResult> {
  const { trust: trustList } = await verifierContext(ctx, row.organisationId)
  // An access request trusts grants only from the patient asked for (features/access).
  const trust = row.purpose === 'access' ? await accessTrust(ctx, row, trustList) : trustList
  const { query, credentials: queries } = checkDcqlQuery(payload.dcql_query)
  const out: VpResult['presentations'] = {}
  const records: Record<string, DcqlRecord[]> = {}
  let allValid = true
  for (const [queryId, list] of Object.entries(presentations)) {
    const asked = queries.find((q) => q.id === queryId)
    if (!asked) {
      allValid = false
      continue
    }
    out[queryId] = []
    for (const presentation of list) {
      if (typeof presentation !== 'string') {
        allValid = false
        continue
      }
      const result = await verifyPresentationEnvelope({
        presentation: presentation.trim(),
        resolver: ctx.resolver.forVerification(),
        trust,
        status: ctx.status.forRequest(),
        // The request is answered once (its row is taken above); each presentation in it carries its nonce.
        nonces: { consume: async ({ nonce }) => nonce === row.nonce },
        expect: { nonce: row.nonce, audience: payload.client_id },
      })
      await assertChainAnswered(ctx, [result.checks, ...result.credentials.map((c) => c.checks)])
      const record = result.valid ? dcqlRecordOf(presentation, result) : undefined
      if (record) records[queryId] = [...(records[queryId] ?? []), record]
      allValid &&= result.valid
      out[queryId].push({
        valid: result.valid,
        format: result.format,
        holder: result.holder,
        checks: result.checks,
        credentials: result.credentials.map((c) => ({
          valid: c.valid,
          type: c.type,
          issuer: c.issuer,
          id: c.id,
          validUntil: c.validUntil,
          checks: c.checks,
        })),
        claims: askedClaims(record, asked.claims),
      })
      // An access request's decision (access.decided) records these checks with the policy's.
      if (row.purpose !== 'access')
        await ctx.audit.record({
          kind: 'verification.decided',
          verifier: row.organisationId,
          what: 'presentation',
          valid: result.valid,
          checks: auditedChecks(result.checks),
        })
    }
  }
  let dcqlSatisfied = false
  try {
    const dcql = DcqlPresentationResult.fromDcqlPresentation(records as never, { dcqlQuery: query })
    dcqlSatisfied = dcql.can_be_satisfied
  } catch {
    dcqlSatisfied = false
  }
  return { valid: allValid && dcqlSatisfied, dcqlSatisfied, receivedAt: nowIso(), presentations: out }
}
