import { describe, expect, it } from 'vitest'
import { type AuditEventBundle, exportEntries, type ReadAuditExport } from './audit-export'

/** The agent's export of a contiguous trail 1..size, a page at a time. */
function fakeExport(size: number) {
  const asked: { after: number; limit: number }[] = []
  const read: ReadAuditExport = async (page) => {
    asked.push(page)
    const seqs = Array.from({ length: size }, (_, i) => i + 1)
      .filter((s) => s > page.after)
      .slice(0, page.limit)
    const bundle: AuditEventBundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: seqs.map((s) => ({ resource: { resourceType: 'AuditEvent', id: `clavis-audit-${s}` } })),
    }
    if (seqs.length === page.limit) bundle.link = [{ relation: 'next', url: `…?after=${seqs.at(-1)}` }]
    return bundle
  }
  return { read, asked }
}

const ids = (b: AuditEventBundle) => (b.entry ?? []).map((e) => e.resource.id)

describe('the FHIR export of the entries shown', () => {
  it('one request for a page of the unfiltered trail, named after its first seq', async () => {
    const agent = fakeExport(500)
    const { bundle, fileName } = await exportEntries({ read: agent.read, seqs: [460, 459, 458] })
    expect(agent.asked).toEqual([{ after: 457, limit: 3 }])
    expect(ids(bundle)).toEqual(['clavis-audit-458', 'clavis-audit-459', 'clavis-audit-460'])
    expect(bundle).not.toHaveProperty('link')
    expect(fileName).toBe('clavis-audit-458.json')
  })

  it('a filtered page spanning more than a request: only the entries shown', async () => {
    const agent = fakeExport(5000)
    const { bundle } = await exportEntries({ read: agent.read, seqs: [2, 1500, 2600] })
    expect(agent.asked.map((a) => a.after)).toEqual([1, 1001, 2001])
    expect(ids(bundle)).toEqual(['clavis-audit-2', 'clavis-audit-1500', 'clavis-audit-2600'])
  })
})
