import { type Command, Option } from 'commander'
import type { Act } from '../action'
import { CliError } from '../errors'
import { printFields, printJson } from '../format'

/** `did resolve|show|add-service|add-key|revoke-key|rotate|deactivate`. */
export function registerDids(program: Command, act: Act): void {
  const did = program.command('did').description("DIDs: resolve any; change your organisation's on chain")

  did
    .command('resolve')
    .description('the DID document of any DID on this chain')
    .argument('<did>', 'e.g. did:ethr:0x7a69:0x…')
    .action(
      act(async (s, [id]) => {
        const r = await s.publicApi().resolveDid({ params: { did: id! } })
        printJson(r)
        return 0
      }),
    )

  did
    .command('show')
    .description("your organisation's DID document and its change history")
    .action(
      act(async (s) => {
        const org = await s.myOrganisation()
        const r = await s.staffApi().getOrganisationDid({ params: { id: org.id } })
        s.print(r, () => {
          printJson(r.resolution)
          for (const e of r.events) process.stdout.write(`${e.at}  ${e.kind}  ${e.txHash ?? ''}\n`)
        })
        return 0
      }),
    )

  did
    .command('add-service')
    .description('add a service endpoint to your DID on chain')
    .requiredOption('--type <type>', 'e.g. LinkedDomains')
    .requiredOption('--endpoint <url>', 'an https URL')
    .addHelpText(
      'after',
      '\nExample:\n  clavis did add-service --type LinkedDomains --endpoint https://board.example.org/',
    )
    .action(
      act<{ type: string; endpoint: string }>(async (s, _a, o) => {
        const org = await s.myOrganisation()
        const r = await s.staffApi({ type: '--type', serviceEndpoint: '--endpoint' }).addDidService({
          params: { id: org.id },
          body: { type: o.type, serviceEndpoint: o.endpoint },
        })
        s.print(r, () => process.stdout.write(`service added (tx ${r.txHash})\n`))
        return 0
      }),
    )

  did
    .command('add-key')
    .description('add a delegate signing key to your DID on chain')
    .option('--validity <seconds>', 'how long the key is valid (default: the agent decides)')
    .action(
      act<{ validity?: string }>(async (s, _a, o) => {
        if (o.validity !== undefined && !/^\d{1,10}$/.test(o.validity))
          throw CliError.usage(`--validity ${o.validity} is not a whole number of seconds.`)
        const org = await s.myOrganisation()
        const r = await s.staffApi({ validitySeconds: '--validity' }).addDidKey({
          params: { id: org.id },
          body: o.validity === undefined ? {} : { validitySeconds: Number(o.validity) },
        })
        s.print(r, () =>
          printFields([
            ['kid', r.kid],
            ['valid until', r.validUntil],
            ['tx', r.txHash],
          ]),
        )
        return 0
      }),
    )

  did
    .command('revoke-key')
    .description('revoke a delegate key of your DID on chain')
    .argument('<kid>', 'the key id (clavis did show)')
    .action(
      act(async (s, [kid]) => {
        const org = await s.myOrganisation()
        const r = await s.staffApi().revokeDidKey({ params: { id: org.id, kid: kid! } })
        s.print(r, () => process.stdout.write(`key revoked (tx ${r.txHash})\n`))
        return 0
      }),
    )

  did
    .command('rotate')
    .description("rotate your DID's keys: the controller and the assertion key that signs")
    .addOption(
      new Option(
        '--policy <policy>',
        'routine: credentials issued before keep verifying; compromise: they stop (and are listed for re-issue)',
      )
        .choices(['routine', 'compromise'])
        .makeOptionMandatory(),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  clavis did rotate --policy routine\n  clavis did rotate --policy compromise',
    )
    .action(
      act<{ policy: 'routine' | 'compromise' }>(async (s, _a, o) => {
        const org = await s.myOrganisation()
        const r = await s.staffApi().rotateDidKey({ params: { id: org.id }, body: { policy: o.policy } })
        s.print(r, () => {
          printFields([
            ['new signing key', r.newKid],
            ['what the old keys signed verifies until', r.oldKeyVerifiableUntil ?? '-'],
          ])
          if (r.reissue.length > 0) {
            process.stdout.write(`${r.reissue.length} credential(s) must be re-issued:\n`)
            for (const c of r.reissue) process.stdout.write(`  ${c.id}  ${c.type}  ${c.subjectDid}\n`)
          }
        })
        return 0
      }),
    )

  did
    .command('deactivate')
    .description('deactivate your DID on chain (cannot be undone)')
    .option('--yes', 'confirm')
    .action(
      act<{ yes?: boolean }>(async (s, _a, o) => {
        if (o.yes !== true) throw CliError.usage('Deactivation cannot be undone; confirm with --yes.')
        const org = await s.myOrganisation()
        const r = await s.staffApi().deactivateDid({ params: { id: org.id } })
        s.print(r, () => process.stdout.write(`DID deactivated (tx ${r.txHash})\n`))
        return 0
      }),
    )
}
