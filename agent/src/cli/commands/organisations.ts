import { type Command, Option } from 'commander'
import type { Act } from '../action'
import { CliError } from '../errors'
import { printFields } from '../format'

/** `org list|create|token`. */
export function registerOrganisations(program: Command, act: Act): void {
  const org = program.command('org').description('organisations (create and token: operator)')

  org
    .command('list')
    .description('organisations and their DIDs')
    .action(
      act(async (s) => {
        const r = await s.publicApi().listOrganisations()
        s.print(r, () => {
          for (const o of r.organisations)
            process.stdout.write(`${o.id}  ${o.kind.padEnd(8)}  ${o.name}\n    ${o.did}\n`)
          if (r.organisations.length === 0) process.stdout.write('no organisations\n')
        })
        return 0
      }),
    )

  org
    .command('create')
    .description('(operator) a new organisation with its DID on chain; prints its staff token once')
    .requiredOption('--name <name>', 'e.g. "State Medical Board"')
    .addOption(
      new Option('--kind <kind>', 'what it does').choices(['board', 'hospital']).makeOptionMandatory(),
    )
    .addHelpText('after', '\nExample:\n  clavis org create --name "Riverside Clinic" --kind hospital')
    .action(
      act<{ name: string; kind: 'board' | 'hospital' }>(async (s, _args, o) => {
        const r = await s
          .operatorApi({ name: '--name', kind: '--kind' })
          .createOrganisation({ body: { name: o.name, kind: o.kind } })
        s.print(r, () => {
          printFields([
            ['id', r.organisation.id],
            ['name', r.organisation.name],
            ['kind', r.organisation.kind],
            ['did', r.organisation.did],
          ])
          process.stdout.write(`staff token (shown once, keep it safe): ${r.token}\n`)
        })
        return 0
      }),
    )

  org
    .command('token')
    .description("(operator) replace an organisation's staff token; the old one stops working")
    .argument('<organisation>', 'id, DID or name (see clavis org list)')
    .action(
      act(async (s, [ref]) => {
        if (!ref) throw CliError.usage('Name the organisation: clavis org token <id>.')
        const target = await s.findOrganisation(ref)
        const r = await s.operatorApi().resetOrganisationToken({ params: { id: target.id } })
        s.print(r, () =>
          process.stdout.write(`new staff token for ${target.name} (shown once): ${r.token}\n`),
        )
        return 0
      }),
    )
}
