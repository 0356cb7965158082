import type { Command } from 'commander'
import type { Act } from '../action'

/** `audit list|verify|export|checkpoint`: the organisation's hash-chained audit trail. */
export function registerAudit(program: Command, act: Act): void {
  const audit = program
    .command('audit')
    .description("your organisation's audit trail: read it, verify it, export it as FHIR AuditEvent")

  audit
    .command('list')
    .description('entries, oldest first (identifiers and codes only)')
    .option('--after <seq>', 'entries after this one', Number)
    .option('--limit <n>', 'at most this many (1–1000, default 100)', Number)
    .option('--kind <kind>', 'only this kind, e.g. record.read or access.decided')
    .option('--patient <id>', "only this patient's entries")
    .action(
      act<{ after?: number; limit?: number; kind?: string; patient?: string }>(async (s, _a, o) => {
        const org = await s.myOrganisation()
        const r = await s
          .staffApi({ after: '--after', limit: '--limit', kind: '--kind', patient: '--patient' })
          .listAudit({ params: { id: org.id }, query: o })
        s.print(r, () => {
          for (const e of r.entries) {
            const { kind: _k, organisationId: _o, ...rest } = e.event as Record<string, unknown>
            process.stdout.write(
              `${String(e.seq).padStart(6)}  ${e.at}  ${e.kind}  ${JSON.stringify(rest)}\n`,
            )
          }
          if (r.entries.length === 0) process.stdout.write('no entries\n')
          if (r.next !== undefined) process.stdout.write(`more: clavis audit list --after ${r.next}\n`)
        })
        return 0
      }),
    )

  audit
    .command('verify')
    .description(
      'check every entry from the first (altered, removed or reordered entries, a rewritten or shortened log); exit 1 when not intact',
    )
    .option('--checkpoint <file...>', 'signed checkpoints you kept (JWT files), to check the log against too')
    .addHelpText(
      'after',
      '\nExamples:\n  clavis audit verify\n  clavis audit verify --checkpoint kept-checkpoint.jwt',
    )
    .action(
      act<{ checkpoint?: string[] }>(async (s, _a, o) => {
        const org = await s.myOrganisation()
        const checkpoints = (o.checkpoint ?? []).map((f) => s.read(f, `the checkpoint ${f}`).trim())
        s.note(`verifying the audit trail of ${org.name}…`)
        const r = await s.staffApi({ checkpoints: '--checkpoint' }).verifyAudit({
          params: { id: org.id },
          body: { checkpoints },
        })
        s.print(r, () => {
          for (const c of r.checkpoints)
            process.stdout.write(
              `checkpoint at entry ${c.size} (${c.source}): ${c.verified ? 'signature verified' : `NOT USED: ${c.reason}`}\n`,
            )
          if (r.ok) process.stdout.write(`intact: ${r.count} entries, head ${r.head}\n`)
          else
            process.stdout.write(
              `NOT INTACT at entry ${r.problem?.seq} (${r.problem?.code}): ${r.problem?.message}\n${r.count} entries before it are intact.\n`,
            )
        })
        return r.ok ? 0 : 1
      }),
    )

  audit
    .command('export')
    .description('the trail as a FHIR R4 Bundle of AuditEvent resources (IHE BALP), a page at a time')
    .option('--after <seq>', 'entries after this one', Number)
    .option('--limit <n>', 'at most this many (1–1000, default 100)', Number)
    .action(
      act<{ after?: number; limit?: number }>(async (s, _a, o) => {
        const org = await s.myOrganisation()
        const r = await s
          .staffApi({ after: '--after', limit: '--limit' })
          .exportAudit({ params: { id: org.id }, query: o })
        process.stdout.write(`${JSON.stringify(r, null, 2)}\n`)
        return 0
      }),
    )

  audit
    .command('checkpoint')
    .description(
      'sign a checkpoint of the trail now, and print it (keep it: a later rewrite will not match it)',
    )
    .action(
      act(async (s) => {
        const org = await s.myOrganisation()
        const r = await s.staffApi().createAuditCheckpoint({ params: { id: org.id } })
        s.print(r, () => process.stdout.write(`${r.jwt}\n`))
        s.note(`checkpoint at entry ${r.size}, head ${r.head}`)
        return 0
      }),
    )
}
