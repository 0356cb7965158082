import { ClavisError } from '@clavis/errors'
import type { Resource } from '@medplum/fhirtypes'
import type { EntityManager } from 'typeorm'
import type { AgentContext } from '../../context'
import { nowIso } from '../../util/ids'
import { FhirResourceEntity } from './entities'
import { loadFhirR4, type RecordType } from './fhir/definitions'
import { FhirRequestError } from './fhir/errors'
import { validateRecord } from './fhir/validate'

/**
 * Validates and stores a patient's FHIR resources (a new version replaces one with the same type
 * and id). Every resource must be valid FHIR R4 of a supported type and belong to this patient;
 * one that is not refuses the whole set (400, with each resource's OperationOutcome issues).
 * With `manager` it writes in the caller's transaction and leaves the audit entry to the caller.
 */
export async function putRecords(
  ctx: AgentContext,
  input: {
    organisationId: string
    patientId: string
    resources: readonly unknown[]
    manager?: EntityManager
  },
): Promise<string[]> {
  loadFhirR4()
  const issues: { path: string; code: string; message: string }[] = []
  const valid: Resource[] = []
  input.resources.forEach((r, i) => {
    try {
      valid.push(validateRecord(r, input.patientId))
    } catch (e) {
      if (!(e instanceof FhirRequestError)) throw e
      for (const issue of e.outcome.issue ?? [])
        issues.push({
          path: `resources[${i}]${issue.expression?.[0] ? `.${issue.expression[0]}` : ''}`,
          code: issue.code ?? 'invalid',
          message: issue.details?.text ?? issue.diagnostics ?? 'invalid',
        })
    }
  })
  if (issues.length > 0)
    throw new ClavisError({
      code: 'invalid_request',
      message: `${issues.length} problem(s) in the FHIR resources; nothing was stored. See issues.`,
      issues: issues.slice(0, 100),
    })
  const at = nowIso()
  const rows = valid.map((r) => ({
    organisationId: input.organisationId,
    resourceType: r.resourceType,
    id: r.id!,
    patientId: input.patientId,
    resource: JSON.stringify({ ...r, meta: { ...r.meta, lastUpdated: at } }),
    lastUpdated: at,
  }))
  const write = async (m: EntityManager) => {
    // Another patient's resource with the same type and id is never overwritten.
    for (const r of rows) {
      const held = await m.getRepository(FhirResourceEntity).findOneBy({
        organisationId: r.organisationId,
        resourceType: r.resourceType,
        id: r.id,
      })
      if (held && held.patientId !== r.patientId)
        throw new ClavisError({
          code: 'conflict',
          message: `${r.resourceType}/${r.id} is another patient's record; give this one another id.`,
        })
    }
    await m.getRepository(FhirResourceEntity).save(rows)
  }
  const references = rows.map((r) => `${r.resourceType}/${r.id}`)
  // Inside the caller's transaction, the caller records (after it commits: an append takes a
  // transaction of its own, which on SQLite waits for the one open).
  if (input.manager) {
    await write(input.manager)
    return references
  }
  await ctx.db.transaction(write)
  await ctx.audit.record({
    kind: 'records.stored',
    organisationId: input.organisationId,
    patientId: input.patientId,
    resources: references,
  })
  return references
}

/** One resource of a hospital, by type and id. */
export async function readRecord(
  ctx: AgentContext,
  input: { organisationId: string; type: RecordType; id: string },
): Promise<{ patientId: string; resource: Resource } | undefined> {
  const row = await ctx.db
    .getRepository(FhirResourceEntity)
    .findOneBy({ organisationId: input.organisationId, resourceType: input.type, id: input.id })
  return row ? { patientId: row.patientId, resource: JSON.parse(row.resource) as Resource } : undefined
}

/** Every resource of one type of one patient. */
export async function recordsOf(
  ctx: AgentContext,
  input: { organisationId: string; patientId: string; type: RecordType },
): Promise<Resource[]> {
  const rows = await ctx.db.getRepository(FhirResourceEntity).find({
    where: { organisationId: input.organisationId, patientId: input.patientId, resourceType: input.type },
  })
  return rows.map((r) => JSON.parse(r.resource) as Resource)
}
