import { base64urlDecode } from '@clavis/crypto'
import type { Command } from 'commander'
import type { Act } from '../action'
import { CliError } from '../errors'
import type { Session } from '../session'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The id this agent gave a credential, read from the credential (JWT-VC or SD-JWT VC) itself. */
export function credentialIdOf(text: string): string | undefined {
  const payload = text.trim().split('~')[0]?.split('.')[1]
  const bytes = payload ? base64urlDecode(payload) : undefined
  if (!bytes) return undefined
  try {
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as { jti?: unknown; vc?: { id?: unknown } }
    const id = typeof claims.jti === 'string' ? claims.jti : claims.vc?.id
    const bare = typeof id === 'string' ? id.replace(/^urn:uuid:/, '') : undefined
    return bare && UUID.test(bare) ? bare : undefined
  } catch {
    return undefined
  }
}

function credentialIdFrom(s: Session, id: string | undefined, file: string | undefined): string {
  if (id !== undefined && file !== undefined)
    throw CliError.usage('Give the credential id or --credential FILE, not both.')
  if (id !== undefined) return id
  if (file === undefined)
    throw CliError.usage('Which credential? Give its id (clavis credentials list) or --credential FILE.')
  const found = credentialIdOf(s.read(file, 'the credential'))
  if (!found) throw CliError.usage(`${file} is not a credential this agent issued (it has no urn:uuid id).`)
  return found
}

/** `credentials list|get`, `status revoke|suspend|reinstate`. */
export function registerCredentials(program: Command, act: Act): void {
  const credentials = program.command('credentials').description('credentials your organisation issued')

  credentials
    .command('list')
    .description('newest first')
    .option('--reissue-required', 'only those a compromise rotation invalidated')
    .action(
      act<{ reissueRequired?: boolean }>(async (s, _a, o) => {
        const org = await s.myOrganisation()
        const r = await s.staffApi().listCredentials({
          params: { id: org.id },
          query: o.reissueRequired ? { reissueRequired: true } : {},
        })
        s.print(r, () => {
          for (const c of r.credentials) {
            process.stdout.write(
              `${c.id}  ${c.issuedAt}  ${c.type}${c.reissueRequired ? '  REISSUE' : ''}\n    ${c.subject}\n`,
            )
          }
          process.stdout.write(`${r.total} in all\n`)
        })
        return 0
      }),
    )

  credentials
    .command('get')
    .description('one credential: prints it (or --out FILE)')
    .argument('<id>', 'the credential id')
    .option('--out <file>', 'write it to this file')
    .action(
      act<{ out?: string }>(async (s, [id], o) => {
        const org = await s.myOrganisation()
        const r = await s.staffApi().getCredential({ params: { id: org.id, credentialId: id! } })
        if (o.out !== undefined) s.write(o.out, `${r.jwt}\n`)
        s.print(r, () =>
          o.out === undefined ? process.stdout.write(`${r.jwt}\n`) : s.note(`written to ${o.out}`),
        )
        return 0
      }),
    )

  program
    .command('status')
    .description("change a credential's status: revoke (final), suspend, reinstate")
    .argument('<action>', 'revoke|suspend|reinstate')
    .argument('[id]', 'the credential id (or give --credential FILE)')
    .option('--credential <file>', 'the credential itself, as issued')
    .addHelpText(
      'after',
      '\nExamples:\n  clavis status suspend --credential licence.jwt\n  clavis status revoke 4b1d…-uuid',
    )
    .action(
      act<{ credential?: string }>(async (s, [action, id], o) => {
        if (!action || !['revoke', 'suspend', 'reinstate'].includes(action))
          throw CliError.usage(`Unknown status action "${action}"; say revoke, suspend or reinstate.`)
        const credentialId = credentialIdFrom(s, id, o.credential)
        const org = await s.myOrganisation()
        const r = await s.staffApi().changeCredentialStatus({
          params: { id: org.id, credentialId },
          body: { action: action as 'revoke' | 'suspend' | 'reinstate' },
        })
        s.print(r, () =>
          process.stdout.write(`${credentialId} is now ${r.status}; published ${r.lists.join(', ')}\n`),
        )
        return 0
      }),
    )
}
