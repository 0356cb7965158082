import type { CapabilityStatement, OperationOutcome, Resource } from '@medplum/fhirtypes'
import { type Context, Hono } from 'hono'
import type { AgentContext } from '../../context'
import { outageOf } from '../../http/unexpected-errors'
import { hashToken, nowIso } from '../../util/ids'
import { dpopVerifierOf } from '../access/dpop'
import { AccessTokenEntity, type AccessTokenRow, type StatusReference } from '../access/entities'
import { statusRefusal } from '../access/tokens'
import { isRecordType, loadFhirR4, RECORD_TYPES, type RecordType } from './fhir/definitions'
import { FhirRequestError } from './fhir/errors'
import { searchRecords } from './fhir/search'
import { allows, parseScopes } from './fhir/smart'
import { readRecord, recordsOf } from './store'

const FHIR_JSON = 'application/fhir+json; fhirVersion=4.0'

/** A refusal of the token itself (401, with the DPoP challenge of RFC 9449 §7.1). */
class TokenRefused extends FhirRequestError {
  constructor(
    readonly error: 'invalid_token' | 'invalid_dpop_proof',
    message: string,
  ) {
    super(401, [{ code: 'login', message }])
  }
}

/** The token a request carries, and what it opens. */
interface Access {
  row: AccessTokenRow
  token: string
  scopes: string[]
  /** Single records the grant is limited to, if it is. */
  records: string[] | null
  statusRefs: StatusReference[]
}

/**
 * The FHIR R4 read API (`/fhir`): `GET /fhir/{type}/{id}` and `GET /fhir/{type}?…` with a
 * DPoP-bound access token from the access flow. Each request: the token is known and unexpired;
 * the DPoP proof is signed by the key the token is bound to (the presenter's), for this method
 * and URL, fresh and used once; the licence and grant are still not revoked or suspended (read
 * again through the status lists' ttl cache); the token's SMART scopes allow the type and
 * interaction; and only the token's patient's resources are returned (another's is 404). The read
 * is in the audit trail (types and ids) before the answer leaves; if it cannot be written, no
 * answer. Errors are OperationOutcomes.
 */
export function fhirRoutes(ctx: AgentContext): Hono {
  const verifyDpop = dpopVerifierOf(ctx)
  const app = new Hono()

  const refuse = async (c: Context, e: unknown, access: Access | undefined) => {
    if (e instanceof FhirRequestError) {
      // Refusals of a known token are audited; a request without one names nobody (and
      // recording those would let anyone fill the trail).
      if (access)
        await ctx.audit.record({
          kind: 'record.refused',
          organisationId: access.row.organisationId,
          tokenId: access.row.id,
          clinicianDid: access.row.clinicianDid,
          patientId: access.row.patientId,
          resourceType: c.req.param('type'),
          reason: e.code === 'login' && e instanceof TokenRefused ? e.error : e.code,
        })
      if (e instanceof TokenRefused)
        c.header(
          'WWW-Authenticate',
          // Header values are ASCII (RFC 9110): the message loses its typography here, not in the body.
          `DPoP error="${e.error}", error_description="${e.message.replace(/[^\x20-\x7e]/g, '').replace(/"/g, "'")}", algs="ES256K ES256"`,
        )
      return fhirJson(c, e.outcome, e.status)
    }
    const outage = outageOf(e)
    ctx.log.error('FHIR request failed', { error: (e as Error)?.message })
    return fhirJson(
      c,
      outcome(
        outage ? 'transient' : 'exception',
        outage ? outage.message : 'Unexpected error; it has been logged.',
      ),
      outage ? 503 : 500,
    )
  }

  /** The token a request carries (401 when none, or unknown), its stored facts read once. */
  async function tokenOf(c: Context): Promise<Access> {
    const [scheme, token] = (c.req.header('authorization') ?? '').split(/\s+/, 2)
    if (!token || scheme?.toLowerCase() !== 'dpop')
      throw new TokenRefused(
        'invalid_token',
        'Send the access token as "Authorization: DPoP <token>" with a DPoP proof (a Bearer token is not accepted: tokens are bound to your key).',
      )
    const row = await ctx.db.getRepository(AccessTokenEntity).findOneBy({ tokenHash: hashToken(token) })
    if (!row) throw new TokenRefused('invalid_token', 'Unknown access token: ask for access again.')
    const checks = JSON.parse(row.checks) as { records?: string[] | null; statusRefs: StatusReference[] }
    return {
      row,
      token,
      scopes: JSON.parse(row.scopes) as string[],
      records: checks.records ?? null,
      statusRefs: checks.statusRefs,
    }
  }

  /** The token is unexpired, the proof is its presenter's for this request, nothing was revoked, the scopes allow it. */
  async function authorise(c: Context, a: Access, type: RecordType, interaction: 'read' | 'search') {
    if (a.row.expiresAt <= nowIso())
      throw new TokenRefused(
        'invalid_token',
        'The access token has expired: renew it (POST …/access/token) or ask for access again.',
      )
    try {
      await verifyDpop({
        proof: c.req.header('dpop'),
        method: 'GET',
        url: `${ctx.publicUrl}${new URL(c.req.url).pathname}`,
        accessToken: a.token,
        expectedJkt: a.row.jkt,
      })
    } catch (e) {
      throw new TokenRefused('invalid_dpop_proof', (e as Error).message)
    }
    const refusal = await statusRefusal(ctx, a.statusRefs)
    if (refusal)
      throw FhirRequestError.forbidden(
        `Access ended: ${refusal.replace('_', ' ')}. Nothing is served on this token.`,
      )
    if (!allows(parseScopes(a.scopes), type, interaction))
      throw FhirRequestError.forbidden(
        `This token's scopes (${a.scopes.join(' ')}) do not allow ${interaction} of ${type}. Ask the patient for a grant that covers it.`,
      )
  }

  const recordRead = (
    a: Access,
    interaction: 'read' | 'search',
    type: string,
    resources: Resource[],
    parameters?: string[],
  ) =>
    ctx.trail.record({
      kind: 'record.read',
      organisationId: a.row.organisationId,
      tokenId: a.row.id,
      clinicianDid: a.row.clinicianDid,
      patientId: a.row.patientId,
      interaction,
      resourceType: type,
      resources: resources.map((r) => `${r.resourceType}/${r.id}`),
      ...(parameters ? { parameters } : {}),
      purposeOfUse: a.row.purpose,
      breakGlass: a.row.kind === 'break_glass',
    })

  const typeOf = (c: Context): RecordType => {
    const type = c.req.param('type') ?? ''
    if (!isRecordType(type))
      throw new FhirRequestError(404, [
        {
          code: 'not-supported',
          message: `This server serves ${RECORD_TYPES.join(', ')}; not "${type.slice(0, 64)}".`,
        },
      ])
    return type
  }

  app.get('/fhir/metadata', (c) => fhirJson(c, capabilityStatement(ctx), 200))

  app.get('/fhir/:type/:id', async (c) => {
    let access: Access | undefined
    try {
      loadFhirR4()
      const type = typeOf(c)
      access = await tokenOf(c)
      await authorise(c, access, type, 'read')
      const id = c.req.param('id')
      const found = await readRecord(ctx, { organisationId: access.row.organisationId, type, id })
      const allowedRecord = !access.records || access.records.includes(`${type}/${id}`) || type === 'Patient'
      if (!found || found.patientId !== access.row.patientId || !allowedRecord)
        throw FhirRequestError.notFound(type, id.slice(0, 64))
      await recordRead(access, 'read', type, [found.resource])
      return fhirJson(c, found.resource, 200)
    } catch (e) {
      return refuse(c, e, access)
    }
  })

  app.get('/fhir/:type', async (c) => {
    let access: Access | undefined
    try {
      loadFhirR4()
      const type = typeOf(c)
      access = await tokenOf(c)
      await authorise(c, access, type, 'search')
      const query = c.req.queries()
      const all = await recordsOf(ctx, {
        organisationId: access.row.organisationId,
        patientId: access.row.patientId,
        type,
      })
      const records = access.records
      const visible =
        records && type !== 'Patient' ? all.filter((r) => records.includes(`${type}/${r.id}`)) : all
      const bundle = searchRecords({
        type,
        query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v.length === 1 ? v[0]! : v])),
        resources: visible,
        patientId: access.row.patientId,
        baseUrl: `${ctx.publicUrl}/fhir`,
      })
      const found = (bundle.entry ?? []).map((e) => e.resource!).filter(Boolean)
      await recordRead(access, 'search', type, found, Object.keys(query).sort())
      return fhirJson(c, bundle, 200)
    } catch (e) {
      return refuse(c, e, access)
    }
  })
  return app
}

function fhirJson(c: Context, body: unknown, status: number) {
  c.header('Content-Type', FHIR_JSON)
  c.header('Cache-Control', 'no-store')
  return c.body(JSON.stringify(body), status as 200)
}

function outcome(code: 'transient' | 'exception', text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text } }] }
}

/** What this server does (FHIR `metadata`): read and search of the record types, SMART on FHIR v2 scopes with DPoP. */
function capabilityStatement(ctx: AgentContext): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-12-02',
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['application/fhir+json'],
    implementation: { description: 'Clavis hospital records (read-only)', url: `${ctx.publicUrl}/fhir` },
    rest: [
      {
        mode: 'server',
        security: {
          service: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                  code: 'SMART-on-FHIR',
                },
              ],
            },
          ],
          description:
            'DPoP-bound access tokens (RFC 9449) from POST /v1/organisations/{id}/access/token after an OpenID4VP presentation of a clinician licence and the patient’s access grant; SMART v2 patient/<Type>.rs scopes.',
        },
        resource: RECORD_TYPES.map((type) => ({
          type,
          interaction: [{ code: 'read' as const }, { code: 'search-type' as const }],
        })),
      },
    ],
  }
}
