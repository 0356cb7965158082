import type { AgentContext } from '../../context'
import { nowIso } from '../../util/ids'
import { PatientEntity } from './entities'
import { syntheticPatients } from './fhir/synthetic'
import { putRecords } from './store'

/**
 * Gives the demo hospital clearly synthetic patients and records (generated, tagged
 * `urn:clavis:demo|synthetic`; no real data), once: patients registered at the desk get theirs
 * when they register. Their DIDs stay unlinked (nobody holds their identity credential).
 */
export async function seedDemoPatients(
  ctx: AgentContext,
  organisationId: string,
  count = 5,
): Promise<number> {
  const repo = ctx.db.getRepository(PatientEntity)
  if (count === 0) return 0
  if ((await repo.countBy({ organisationId })) > 0) return 0
  for (const { patient, records } of syntheticPatients(count)) {
    await ctx.db.transaction(async (m) => {
      await m.getRepository(PatientEntity).insert({
        organisationId,
        id: patient.id!,
        did: null,
        offerId: null,
        createdAt: nowIso(),
      })
      await putRecords(ctx, {
        organisationId,
        patientId: patient.id!,
        resources: [patient, ...records],
        manager: m,
      })
    })
    await ctx.audit.record({ kind: 'patient.registered', organisationId, patientId: patient.id! })
    await ctx.audit.record({
      kind: 'records.stored',
      organisationId,
      patientId: patient.id!,
      resources: [patient, ...records].map((r) => `${r.resourceType}/${r.id}`),
    })
  }
  return count
}
