import type { CredentialType } from '@clavis/credentials'
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
        const r = await s.staffApi().getTrustList({ params: { id: org.id } })
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
        const r = await s.staffApi({ issuer: '--issuer', types: '--type' }).addTrust({
          params: { id: org.id },
          // As given: the agent checks the types and names --type when one is unknown.
          body: { issuer: o.issuer, types: o.type as CredentialType[] },
        })
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
        const r = await s.staffApi({ issuer: '--issuer', type: '--type' }).removeTrust({
          params: { id: org.id, issuer: o.issuer },
          // As given: the agent says when the type is unknown.
          query: o.type ? { type: o.type as CredentialType } : {},
        })
        s.print(r, () => process.stdout.write('trust list updated\n'))
        return 0
      }),
    )
}
