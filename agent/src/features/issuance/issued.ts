import { createHash } from 'node:crypto'
import type { IssueCredentialRequest } from '@clavis/api'
import { ClavisError } from '@clavis/errors'
import type { AgentContext } from '../../context'
import { IssuedCredentialEntity, type IssuedCredentialRow } from './entities'

// The read side of issuance: what was issued, as the API shows it, and the idempotency lookup.

/** A stored credential as the API shows it. */
export interface IssuedCredential {
  id: string
  type: string
  issuer: string
  subject: string
  issuedAt: string
  validFrom: string
  validUntil: string | null
  reissueRequired: boolean
  format: 'jwt_vc' | 'vc+jwt' | 'dc+sd-jwt'
  status: string
  jwt: string
}

/** The API view of a stored credential. */
export function toIssuedCredential(row: IssuedCredentialRow): IssuedCredential {
  return {
    id: row.id,
    type: row.type,
    issuer: row.issuerDid,
    subject: row.subjectDid,
    issuedAt: row.issuedAt,
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    reissueRequired: row.reissueRequired,
    format: row.format,
    status: row.status,
    jwt: row.jwt,
  }
}

/** Credentials an organisation issued, newest first, paged. */
export async function listIssuedCredentials(
  ctx: AgentContext,
  input: { organisationId: string; limit?: number; offset?: number; reissueRequired?: boolean },
): Promise<{ credentials: IssuedCredential[]; total: number }> {
  const where = {
    organisationId: input.organisationId,
    ...(input.reissueRequired === undefined ? {} : { reissueRequired: input.reissueRequired }),
  }
  const [rows, total] = await ctx.db.getRepository(IssuedCredentialEntity).findAndCount({
    where,
    order: { issuedAt: 'DESC', id: 'DESC' },
    take: Math.max(1, Math.min(input.limit ?? 50, 500)),
    skip: input.offset ?? 0,
  })
  return { credentials: rows.map(toIssuedCredential), total }
}

/** One credential an organisation issued. */
export async function getIssuedCredential(
  ctx: AgentContext,
  input: { organisationId: string; id: string },
): Promise<IssuedCredential> {
  const row = await ctx.db
    .getRepository(IssuedCredentialEntity)
    .findOneBy({ id: input.id, organisationId: input.organisationId })
  if (!row) {
    throw new ClavisError({
      code: 'not_found',
      message: `No credential "${input.id}" issued by this organisation. List them with GET /v1/organisations/${input.organisationId}/credentials.`,
    })
  }
  return toIssuedCredential(row)
}

/** SHA-256 of the request as JSON with its keys sorted: the same request hashes the same. */
export function hashRequest(request: IssueCredentialRequest): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v
  return createHash('sha256')
    .update(JSON.stringify(canonical(request)))
    .digest('hex')
}

/**
 * The credential issued earlier under this idempotency key, marked `replayed`; 422
 * `idempotency_key_reused` when that key was used for a different request.
 */
export async function issuedUnderKey(
  ctx: AgentContext,
  organisationId: string,
  idempotencyKey: string,
  requestHash: string,
): Promise<(IssuedCredential & { replayed: true }) | undefined> {
  const row = await ctx.db.getRepository(IssuedCredentialEntity).findOneBy({ organisationId, idempotencyKey })
  if (!row) return undefined
  if (row.requestHash !== requestHash) {
    throw new ClavisError({
      code: 'idempotency_key_reused',
      message:
        'This Idempotency-Key was used for a different request. Use a new key for a new credential; a retry must repeat the request exactly.',
    })
  }
  return { ...toIssuedCredential(row), replayed: true }
}
