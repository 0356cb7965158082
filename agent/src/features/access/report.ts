import { ClavisError } from '@clavis/errors'
import { In } from 'typeorm'
import { entryContent } from '../../audit/chain'
import { signCheckpoint } from '../../audit/checkpoints'
import { AuditEntryEntity } from '../../audit/entities'
import type { AgentContext } from '../../context'
import { patientByDid } from '../records/patients'

/** What a patient sees of who looked at their records: access decisions, emergencies and reads. */
const REPORTED = ['access.decided', 'access.break_glass', 'record.read'] as const
/** The newest entries a report holds. */
const REPORT_LIMIT = 500

export interface AccessReportEntry {
  seq: number
  at: string
  kind: (typeof REPORTED)[number]
  clinicianDid: string | undefined
  purposeOfUse: string | undefined
  breakGlass: boolean
  /** access.decided */
  permitted?: boolean
  reason?: string
  /** access.break_glass: the clinician's stated reason, and until when */
  emergencyReason?: string
  until?: string
  /** record.read */
  interaction?: 'read' | 'search'
  resourceType?: string
  resources?: string[]
}

/**
 * A patient's access report at a hospital (after they proved control of their DID): every access
 * decision about their records, every emergency access and every read, newest first, from the
 * hash-chained trail — and a checkpoint of the trail signed now by the hospital, which the wallet
 * keeps: a later rewrite of these entries would not match it.
 */
export async function accessReport(ctx: AgentContext, input: { organisationId: string; did: string }) {
  const patient = await patientByDid(ctx, input)
  if (!patient)
    throw new ClavisError({
      code: 'not_found',
      message: 'This hospital has no patient whose identity credential was issued to this DID.',
    })
  // Every emergency access, uncapped (nobody can push one out of the report by making noise),
  // and the newest other entries.
  const repo = ctx.db.getRepository(AuditEntryEntity)
  const [emergencies, others] = await Promise.all([
    repo.find({
      where: { chain: input.organisationId, patientId: patient.id, kind: 'access.break_glass' },
      order: { seq: 'DESC' },
    }),
    repo.find({
      where: {
        chain: input.organisationId,
        patientId: patient.id,
        kind: In(['access.decided', 'record.read']),
      },
      order: { seq: 'DESC' },
      take: REPORT_LIMIT,
    }),
  ])
  const rows = [...emergencies, ...others].sort((a, b) => Number(b.seq) - Number(a.seq))
  const entries = rows.map((row): AccessReportEntry => {
    const e = entryContent(row).event as Record<string, unknown>
    const str = (k: string) => (typeof e[k] === 'string' ? (e[k] as string) : undefined)
    const base = {
      seq: Number(row.seq),
      at: entryContent(row).at,
      kind: row.kind as AccessReportEntry['kind'],
      clinicianDid: str('clinicianDid'),
      purposeOfUse: row.kind === 'access.break_glass' ? 'BTG' : str('purposeOfUse'),
      breakGlass: row.kind === 'access.break_glass' || e.breakGlass === true,
    }
    if (row.kind === 'access.decided')
      return { ...base, permitted: e.permitted === true, ...(str('reason') ? { reason: str('reason') } : {}) }
    if (row.kind === 'access.break_glass')
      return { ...base, emergencyReason: str('reason'), until: str('expiresAt') }
    return {
      ...base,
      interaction: e.interaction === 'search' ? 'search' : 'read',
      resourceType: str('resourceType'),
      resources: Array.isArray(e.resources) ? (e.resources as string[]) : [],
    }
  })
  // The checkpoint covers the entries shown; signed before this read is recorded, so that reads
  // alone make no new checkpoint each time (the last one is reused while only reads happened).
  const checkpoint = await signCheckpoint(ctx, input.organisationId)
  await ctx.audit.record({
    kind: 'access_report.read',
    organisationId: input.organisationId,
    patientId: patient.id,
  })
  return {
    patientId: patient.id,
    entries,
    checkpoint: {
      size: Number(checkpoint.size),
      head: checkpoint.head,
      jwt: checkpoint.jwt,
      at: checkpoint.at,
    },
  }
}
