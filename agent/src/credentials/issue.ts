import { ClavisError, type IssueCredentialRequest } from '@clavis/api'
import { buildCredential, CredentialClaimsError, checkClaims } from '@clavis/credentials'
import type { AgentContext } from '../context'
import { IssuedCredentialEntity, type IssuedCredentialRow } from '../db/entities'
import { getOrganisation } from '../orgs/organisations'
import { newId, nowIso } from '../util/ids'

/** Which kind of organisation issues which credential type. */
const ISSUER_KIND = {
  ClinicianLicenseCredential: 'board',
  PatientIdentityCredential: 'hospital',
} as const

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
    jwt: row.jwt,
  }
}

/**
 * Issues a licence (boards) or a patient identity credential (hospitals) as a JWT-VC signed with
 * the organisation's controller key through Veramo, and stores it.
 *
 * @example
 * const vc = await issueCredential(ctx, { organisationId, request: { type: 'ClinicianLicenseCredential', subject, claims, validUntil } })
 */
export async function issueCredential(
  ctx: AgentContext,
  input: { organisationId: string; request: IssueCredentialRequest },
): Promise<IssuedCredential> {
  const { request } = input
  const org = await getOrganisation(ctx, input.organisationId)
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
  const checked = checkClaims({ type: request.type, claims: request.claims })
  if (!checked.ok) {
    throw new ClavisError({
      code: 'invalid_claims',
      message: `Bad claim "${checked.issues[0]?.path}": ${checked.issues[0]?.message}`,
      issues: checked.issues.map((i) => ({ ...i, path: `claims.${i.path}` })),
    })
  }
  const id = newId()
  const validFrom = request.validFrom ? new Date(request.validFrom) : new Date()
  const validUntil = request.validUntil ? new Date(request.validUntil) : undefined
  let unsigned: ReturnType<typeof buildCredential>
  try {
    unsigned = buildCredential({
      type: request.type,
      issuer: org.did,
      subject: request.subject,
      claims: checked.claims as never,
      validFrom,
      ...(validUntil ? { validUntil } : {}),
      id: `urn:uuid:${id}`,
    })
  } catch (e) {
    if (e instanceof CredentialClaimsError) {
      throw new ClavisError({
        code: 'invalid_claims',
        message: `Bad field "${e.issues[0]?.path}": ${e.issues[0]?.message}`,
        issues: e.issues.map((i) => ({
          ...i,
          path: ['validFrom', 'validUntil', 'issuer', 'subject', 'id'].includes(i.path)
            ? i.path
            : `claims.${i.path}`,
        })),
      })
    }
    throw e
  }
  const identifier = await ctx.veramo.didManagerGet({ did: org.did })
  const signerKid = identifier.controllerKeyId
  if (!signerKid) throw new Error(`organisation ${org.id} has no controller key`)
  const vc = await ctx.veramo.createVerifiableCredential({
    credential: unsigned as never,
    proofFormat: 'jwt',
    keyRef: signerKid,
  })
  const jwt = (vc.proof as { jwt?: string }).jwt
  if (!jwt) throw new Error('Veramo returned a credential without a JWT proof')
  const row: IssuedCredentialRow = {
    id,
    organisationId: org.id,
    type: request.type,
    issuerDid: org.did,
    subjectDid: request.subject,
    signerKid,
    jwt,
    issuedAt: nowIso(),
    validFrom: validFrom.toISOString(),
    validUntil: validUntil ? validUntil.toISOString() : null,
    reissueRequired: false,
  }
  await ctx.db.getRepository(IssuedCredentialEntity).insert(row)
  ctx.log.info('credential issued', { organisation: org.id, type: request.type, id })
  return toIssuedCredential(row)
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
    order: { issuedAt: 'DESC' },
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
