import type { Command } from 'commander'
import { renderUnicodeCompact } from 'uqr'
import type { Act } from '../action'
import { CREDENTIAL_WORDS, credentialWord } from '../claims-templates'
import { parseDateFlag, parseValidUntil } from '../dates'
import { CliError } from '../errors'
import { printFields } from '../format'

const WORDS = Object.keys(CREDENTIAL_WORDS).join('|')
const FORMATS = { jwt: 'jwt_vc_json', 'sd-jwt': 'dc+sd-jwt' } as const

interface OfferOptions {
  claims: string
  format?: ('jwt' | 'sd-jwt')[]
  validFrom?: string
  validUntil?: string
  ttl: string
  qr: boolean
}

/** `offer licence|identity` (an OpenID4VCI offer for a wallet), `offer status <id>`. */
export function registerOffers(program: Command, act: Act): void {
  const offer = program
    .command('offer')
    .description(
      'offer a credential to a wallet (OpenID4VCI): prints the offer link, its QR code and the transaction code',
    )
    .argument('[type]', WORDS)
    .option('--claims <file>', 'the claims as JSON (start from: clavis claims template <type>); - for stdin')
    .option(
      '--format <format>',
      'what the wallet may choose: jwt (W3C JWT-VC), sd-jwt (SD-JWT VC); repeat for both (default both)',
      (value: string, previous: string[] = []) => {
        if (value !== 'jwt' && value !== 'sd-jwt')
          throw CliError.usage(`--format is jwt or sd-jwt, not "${value}".`)
        return [...previous, value]
      },
    )
    .option('--valid-from <date>', 'e.g. 2027-01-01 (default: when the wallet collects it)')
    .option('--valid-until <date>', 'e.g. 2028-06-01 or 2028-06-01T12:00:00Z')
    .option('--ttl <minutes>', 'how long the offer can be collected, in minutes (1–1440)', '15')
    .option('--no-qr', 'do not print the QR code')
    .addHelpText(
      'after',
      [
        '',
        'The holder scans the QR code (or opens the link) in their wallet and types the transaction',
        'code, which you give them another way (read it out). The credential is bound to the key the',
        'wallet proves; you never see it.',
        '',
        'Examples:',
        '  clavis claims template licence --out licence.json',
        '  clavis offer licence --claims licence.json --valid-until 2028-06-01',
        '  clavis offer status 6f1c…',
      ].join('\n'),
    )
    .action(
      act<OfferOptions>(async (s, [word], o) => {
        const which = credentialWord(word ?? '')
        if (!which)
          throw CliError.usage(`Cannot offer "${word ?? ''}"; say ${WORDS}, or: clavis offer status <id>.`)
        if (o.claims === undefined)
          throw CliError.usage('Give the claims: --claims FILE (from clavis claims template).')
        const ttl = Number(o.ttl)
        if (!Number.isInteger(ttl) || ttl < 1 || ttl > 1440)
          throw CliError.usage('--ttl is a whole number of minutes from 1 to 1440.')
        const claims = s.readJson(o.claims, 'the claims file')
        const validFrom = o.validFrom === undefined ? undefined : parseDateFlag('--valid-from', o.validFrom)
        const validUntil = o.validUntil === undefined ? undefined : parseValidUntil(o.validUntil, validFrom)
        const org = await s.myOrganisation()
        const api = s.staffApi({
          claims: `in ${o.claims}:`,
          validFrom: '--valid-from',
          validUntil: '--valid-until',
          formats: '--format',
          ttlSeconds: '--ttl',
        })
        const r = await api.createOffer({
          params: { id: org.id },
          body: {
            type: CREDENTIAL_WORDS[which] as 'ClinicianLicenseCredential' | 'PatientIdentityCredential',
            claims: claims as Record<string, unknown>,
            ...(o.format ? { formats: [...new Set(o.format)].map((f) => FORMATS[f]) } : {}),
            ...(validFrom ? { validFrom } : {}),
            ...(validUntil ? { validUntil } : {}),
            ttlSeconds: ttl * 60,
          },
        })
        s.print(r, () => {
          if (o.qr) process.stdout.write(`${renderUnicodeCompact(r.offerUri, { border: 2 })}\n`)
          printFields([
            ['offer', r.offerUri],
            ['transaction code', `${r.txCode}  (tell the holder; it is not in the offer)`],
            ['formats', r.configurationIds.join(', ')],
            ['expires', r.expiresAt],
            ['id', r.id],
          ])
          s.note(`Follow it with: clavis offer status ${r.id}`)
        })
        return 0
      }),
    )
  offer
    .command('status')
    .description('how an offer stands: offered, redeemed, issued, locked or expired')
    .argument('<id>', 'the id clavis offer printed')
    .action(
      act(async (s, [id]) => {
        const org = await s.myOrganisation()
        const r = await s.staffApi().getOffer({ params: { id: org.id, offerId: id ?? '' } })
        s.print(r, () =>
          printFields([
            ['id', r.id],
            ['type', r.type],
            ['state', r.state],
            ['expires', r.expiresAt],
            [
              'issued',
              r.issued.length === 0
                ? '-'
                : r.issued.map((i) => `${i.credentialId} (${i.configurationId})`).join(', '),
            ],
          ]),
        )
        return 0
      }),
    )
}
