import { type Command, Option } from 'commander'
import type { Act } from '../action'
import { CLAIMS_TEMPLATES, CREDENTIAL_WORDS, credentialWord } from '../claims-templates'
import { parseDateFlag, parseValidUntil } from '../dates'
import { CliError } from '../errors'
import { printFields } from '../format'
import { didOfJwk, publicJwkOf } from '../holder-keys'

interface IssueOptions {
  claims: string
  subject?: string
  holderKey?: string
  format: 'jwt' | 'vc+jwt' | 'sd-jwt'
  validFrom?: string
  validUntil?: string
  out?: string
}

const WORDS = Object.keys(CREDENTIAL_WORDS).join('|')

/** `issue licence|identity`, `claims template licence|identity`. */
export function registerIssuance(program: Command, act: Act): void {
  program
    .command('issue')
    .description(
      'issue a credential as your organisation (JWT-VC, VC 1.1 or 2.0, or SD-JWT VC bound to a holder key)',
    )
    .argument('<type>', WORDS)
    .requiredOption(
      '--claims <file>',
      'the claims as JSON (start from: clavis claims template <type>); - for stdin',
    )
    .option('--subject <did>', "the holder's did:ethr on this chain (default: the DID of --holder-key)")
    .option('--holder-key <file>', "the holder's key file from clavis keygen (only its public part is sent)")
    .addOption(new Option('--holder-jwk <file>').hideHelp())
    .addOption(
      new Option(
        '--format <format>',
        'jwt: W3C JWT-VC (VC 1.1); vc+jwt: W3C VC 2.0 secured with VC-JOSE-COSE; sd-jwt: SD-JWT VC with key binding',
      )
        .choices(['jwt', 'vc+jwt', 'sd-jwt'])
        .default('jwt'),
    )
    .option('--valid-from <date>', 'e.g. 2027-01-01 (default: now)')
    .option('--valid-until <date>', 'e.g. 2028-06-01 or 2028-06-01T12:00:00Z')
    .option('--out <file>', 'write the credential to this file (else it goes to stdout)')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  clavis claims template licence --out licence.json',
        '  clavis keygen --out clinician.jwk',
        '  clavis issue licence --holder-key clinician.jwk --claims licence.json --valid-until 2028-06-01 --out licence.jwt',
        '  clavis issue identity --holder-key patient.jwk --claims patient.json --format sd-jwt --out identity.sd-jwt',
      ].join('\n'),
    )
    .action(
      act<IssueOptions & { holderJwk?: string }>(async (s, [word], o) => {
        const which = credentialWord(word ?? '')
        if (!which) throw CliError.usage(`Cannot issue "${word}"; say ${WORDS}.`)
        const type = CREDENTIAL_WORDS[which]
        const claims = s.readJson(o.claims, 'the claims file')
        const keyFile = o.holderKey ?? o.holderJwk
        const holderJwk =
          keyFile === undefined ? undefined : publicJwkOf(s.readJson(keyFile, 'the holder key'))
        if (o.format === 'sd-jwt' && !holderJwk)
          throw CliError.usage(
            "An SD-JWT VC is bound to the holder's key: add --holder-key FILE (from clavis keygen).",
          )
        const validFrom = o.validFrom === undefined ? undefined : parseDateFlag('--valid-from', o.validFrom)
        const validUntil = o.validUntil === undefined ? undefined : parseValidUntil(o.validUntil, validFrom)
        let subject = o.subject
        if (subject === undefined) {
          if (!holderJwk)
            throw CliError.usage("Say who it is for: --subject DID, or --holder-key FILE (the holder's key).")
          subject = didOfJwk({ jwk: holderJwk, chainId: await s.chainId() })
          if (!subject)
            throw CliError.usage("A P-256 key has no did:ethr; give the holder's DID with --subject.")
        }
        const org = await s.myOrganisation()
        const api = s.staffApi({
          subject: o.subject === undefined ? '--holder-key' : '--subject',
          claims: `in ${o.claims}:`,
          holderJwk: '--holder-key',
          validFrom: '--valid-from',
          validUntil: '--valid-until',
          format: '--format',
        })
        const r = await api.issueCredential({
          params: { id: org.id },
          body: {
            type,
            subject,
            // Whatever the file holds: the agent checks it and names every bad claim.
            claims: claims as Record<string, unknown>,
            ...(o.format === 'sd-jwt' ? { format: 'dc+sd-jwt', holderJwk } : {}),
            ...(o.format === 'vc+jwt' ? { format: 'vc+jwt' } : {}),
            ...(validFrom ? { validFrom } : {}),
            ...(validUntil ? { validUntil } : {}),
          },
        })
        if (o.out !== undefined) s.write(o.out, `${r.jwt}\n`)
        s.print(r, () => {
          const fields: [string, unknown][] = [
            ['id', r.id],
            ['type', type],
            ['subject', subject],
            ['valid until', r.validUntil],
          ]
          if (o.out !== undefined) {
            printFields([...fields, ['written to', o.out]])
          } else {
            // The credential alone on stdout, so that `> file` and pipes get just it.
            for (const [k, v] of fields) if (v !== undefined) process.stderr.write(`${k}: ${v ?? '-'}\n`)
            process.stdout.write(`${r.jwt}\n`)
          }
        })
        return 0
      }),
    )

  const claims = program.command('claims').description('claims files for clavis issue')
  claims
    .command('template')
    .description('print (or --out) a valid example of the claims of a credential type, to edit')
    .argument('<type>', WORDS)
    .option('--out <file>', 'write it to this file')
    .addHelpText('after', '\nExample:\n  clavis claims template identity --out patient.json')
    .action(
      act<{ out?: string }>(async (s, [word], o) => {
        const which = credentialWord(word ?? '')
        if (!which) throw CliError.usage(`No template for "${word}"; say ${WORDS}.`)
        const text = `${JSON.stringify(CLAIMS_TEMPLATES[which], null, 2)}\n`
        if (o.out === undefined) {
          process.stdout.write(text)
        } else {
          s.write(o.out, text)
          s.note(
            `${CREDENTIAL_WORDS[which]} claims written to ${o.out}; edit them, then clavis issue ${which} --claims ${o.out} …`,
          )
        }
        return 0
      }),
    )
}
