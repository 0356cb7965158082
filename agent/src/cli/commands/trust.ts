import type { Command } from 'commander'
import type { Act } from '../action'

/** `trust list|add|remove`. */
export function registerTrust(program: Command, act: Act): void {
  const trust = program
    .command('trust')
    .description('which issuers your organisation trusts, for which types')

  trust
    .command('list')
    .description('your trust list')
    .action(
      act(async (s) => {
        const org = await s.myOrganisation()
        const r = await s.call<{ entries: { issuer: string; types: string[] }[] }>(
          s.staffClient(),
          'GET',
          `/v1/organisations/${org.id}/trust`,
        )
        s.print(r, () => {
          for (const e of r.entries) process.stdout.write(`${e.issuer}\n    ${e.types.join(', ')}\n`)
          if (r.entries.length === 0) process.stdout.write('nobody is trusted yet\n')
        })
        return 0
      }),
    )

  trust
    .command('add')
    .description('trust an issuer for credential types')
    .requiredOption('--issuer <did>', "the issuer's DID (clavis org list)")
    .requiredOption(
      '--type <type...>',
      'ClinicianLicenseCredential, PatientIdentityCredential, AccessGrantCredential',
    )
    .addHelpText(
      'after',
      '\nExample:\n  clavis trust add --issuer did:ethr:0x7a69:0x02… --type ClinicianLicenseCredential',
    )
    .action(
      act<{ issuer: string; type: string[] }>(async (s, _a, o) => {
        const org = await s.myOrganisation()
        const r = await s.call(
          s.staffClient(),
          'POST',
          `/v1/organisations/${org.id}/trust`,
          { issuer: o.issuer, types: o.type },
          { issuer: '--issuer', types: '--type' },
        )
        s.print(r, () => process.stdout.write('trust list updated\n'))
        return 0
      }),
    )

  trust
    .command('remove')
    .description('stop trusting an issuer (for one type, or for all)')
    .requiredOption('--issuer <did>', "the issuer's DID")
    .option('--type <type>', 'only this credential type')
    .action(
      act<{ issuer: string; type?: string }>(async (s, _a, o) => {
        const org = await s.myOrganisation()
        const query = o.type ? `?type=${encodeURIComponent(o.type)}` : ''
        const r = await s.call(
          s.staffClient(),
          'DELETE',
          `/v1/organisations/${org.id}/trust/${encodeURIComponent(o.issuer)}${query}`,
          undefined,
          { issuer: '--issuer', type: '--type' },
        )
        s.print(r, () => process.stdout.write('trust list updated\n'))
        return 0
      }),
    )
}
