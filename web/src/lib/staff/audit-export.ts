/**
 * The FHIR AuditEvent export (`GET …/audit/fhir`) of the entries the desk shows: the agent exports
 * the trail by `seq` range without the desk's kind and patient filters, so the range from the
 * oldest to the newest entry shown is read (seqs are contiguous, so one request when it is at most
 * 1000 entries) and only the AuditEvents of shown entries (id `clavis-audit-<seq>`) are kept.
 */

/** A FHIR Bundle as `exportAudit` answers it (only what is read here is typed). */
export interface AuditEventBundle {
  resourceType: 'Bundle'
  type: string
  entry?: { resource: { resourceType: 'AuditEvent'; id?: unknown } }[] | undefined
  link?: unknown
  [key: string]: unknown
}

export type ReadAuditExport = (page: { after: number; limit: number }) => Promise<AuditEventBundle>

/** Exports of more entries than this are refused (`TooLongExportError`): narrow the filter. */
const MAX_REQUESTS = 20
const PAGE = 1000

export class TooLongExportError extends Error {
  readonly code = 'export_too_long'
  constructor() {
    super(
      `These entries span more than ${MAX_REQUESTS * PAGE} of the trail: show fewer, or filter less sparsely.`,
    )
  }
}

const seqOf = (id: unknown) =>
  typeof id === 'string' && /^clavis-audit-\d+$/.test(id) ? Number(id.slice(13)) : Number.NaN

/**
 * One Bundle (type `collection`, trail order) holding the AuditEvents of `seqs`, and its file name
 * `clavis-audit-<first seq>.json`.
 *
 * @example
 * const read: ReadAuditExport = (page) => api.exportAudit({ params: { id }, query: page })
 * const { bundle, fileName } = await exportEntries({ read, seqs: [41, 42, 45] })
 */
export async function exportEntries(o: {
  read: ReadAuditExport
  seqs: readonly number[]
}): Promise<{ bundle: AuditEventBundle; fileName: string }> {
  if (o.seqs.length === 0) throw new RangeError('Nothing to export: show some entries first.')
  const wanted = new Set(o.seqs)
  const first = Math.min(...o.seqs)
  const last = Math.max(...o.seqs)
  const kept: NonNullable<AuditEventBundle['entry']> = []
  let base: AuditEventBundle | undefined
  let after = first - 1
  for (let requests = 0; after < last; requests++) {
    if (requests >= MAX_REQUESTS) throw new TooLongExportError()
    const bundle = await o.read({ after, limit: Math.min(PAGE, last - after) })
    base ??= bundle
    const entries = bundle.entry ?? []
    const seqs = entries.map((e) => seqOf(e.resource.id))
    kept.push(...entries.filter((_, i) => wanted.has(seqs[i]!)))
    const end = Math.max(...seqs.filter((s) => Number.isFinite(s)))
    if (!(end > after)) break
    after = end
  }
  const { link: _link, entry: _entry, ...rest } = base ?? { resourceType: 'Bundle', type: 'collection' }
  return {
    bundle: { ...rest, resourceType: 'Bundle', type: rest.type, ...(kept.length > 0 && { entry: kept }) },
    fileName: `clavis-audit-${first}.json`,
  }
}
