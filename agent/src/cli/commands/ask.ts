import type { Command } from 'commander'
import { renderUnicodeCompact } from 'uqr'
import type { Act } from '../action'
import { CliError } from '../errors'
import { printFields } from '../format'

/** Ready-made DCQL queries for the common asks; anything else with --dcql FILE. */
const QUERIES: Record<string, { credentials: Record<string, unknown>[] }> = {
  licence: {
    credentials: [
      {
        id: 'licence',
        format: 'dc+sd-jwt',
        meta: { vct_values: ['urn:clavis:vct:ClinicianLicenseCredential:1'] },
        claims: [{ path: ['name'] }, { path: ['licenseNumber'] }, { path: ['jurisdiction'] }],
      },
    ],
  },
  identity: {
    credentials: [
      {
        id: 'identity',
        format: 'dc+sd-jwt',
        meta: { vct_values: ['urn:clavis:vct:PatientIdentityCredential:1'] },
        claims: [{ path: ['name'] }, { path: ['birthDate'] }],
      },
    ],
  },
}

/** `ask licence|identity|--dcql FILE` (an OpenID4VP request), `ask result <id>`. */
export function registerAsk(program: Command, act: Act): void {
  const ask = program
    .command('ask')
    .description(
      'ask a holder for a presentation (OpenID4VP): prints the request link and QR code; read the answer with ask result',
    )
    .argument('[what]', `${Object.keys(QUERIES).join('|')} (a ready-made DCQL query), or use --dcql`)
    .option('--dcql <file>', 'a DCQL query (OpenID4VP 1.0 §6) as JSON')
    .option('--ttl <minutes>', 'how long the request can be answered, in minutes (1–60)', '5')
    .option('--encrypted', 'ask for the answer encrypted to this request (direct_post.jwt)')
    .option('--no-qr', 'do not print the QR code')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  clavis ask licence                      # name, licence number, jurisdiction of an SD-JWT licence',
        '  clavis ask --dcql check-in.json',
        '  clavis ask result 3f2c…',
      ].join('\n'),
    )
    .action(
      act<{ dcql?: string; ttl: string; qr: boolean; encrypted?: boolean }>(async (s, [what], o) => {
        if ((what === undefined) === (o.dcql === undefined))
          throw CliError.usage(
            `Say what to ask for: ${Object.keys(QUERIES).join(' or ')}, or --dcql FILE (one of them).`,
          )
        const dcql = o.dcql !== undefined ? s.readJson(o.dcql, 'the DCQL query') : QUERIES[what ?? '']
        if (!dcql)
          throw CliError.usage(
            `No ready-made query "${what}"; say ${Object.keys(QUERIES).join(' or ')}, or use --dcql FILE.`,
          )
        const ttl = Number(o.ttl)
        if (!Number.isInteger(ttl) || ttl < 1 || ttl > 60)
          throw CliError.usage('--ttl is a whole number of minutes from 1 to 60.')
        const org = await s.myOrganisation()
        const r = await s
          .staffApi({ dcql: o.dcql === undefined ? 'the query' : `in ${o.dcql}:`, ttlSeconds: '--ttl' })
          .createVpRequest({
            params: { id: org.id },
            body: { dcql: dcql as Record<string, unknown>, ttlSeconds: ttl * 60 },
          })
        s.print(r, () => {
          if (o.qr) process.stdout.write(`${renderUnicodeCompact(r.requestUri, { border: 2 })}\n`)
          printFields([
            ['request', r.requestUri],
            ['verifier', r.clientId],
            ['expires', r.expiresAt],
            ['id', r.id],
          ])
          s.note(`Read the answer with: clavis ask result ${r.id}`)
        })
        return 0
      }),
    )
  ask
    .command('result')
    .description(
      'the answer to a request: every check and only the claims asked for (exit 1 when not valid or not yet answered)',
    )
    .argument('<id>', 'the id clavis ask printed')
    .action(
      act(async (s, [id]) => {
        const org = await s.myOrganisation()
        const r = await s.staffApi().getVpRequest({ params: { id: org.id, requestId: id ?? '' } })
        s.print(r, () => {
          printFields([
            ['id', r.id],
            ['state', r.state],
            ['valid', r.result ? (r.result.valid ? 'VALID' : 'NOT VALID') : '-'],
          ])
          for (const [queryId, list] of Object.entries(r.result?.presentations ?? {}))
            for (const p of list) {
              const failed = [
                ...Object.entries(p.checks),
                ...p.credentials.flatMap((c) => Object.entries(c.checks)),
              ]
                .filter(([, c]) => !c.passed)
                .map(([name, c]) => `${name}: ${'reason' in c ? c.reason : ''}`)
              printFields([
                [
                  queryId,
                  `${p.valid ? 'valid' : 'not valid'} ${p.credentials[0]?.type ?? ''} from ${p.credentials[0]?.issuer ?? '?'}`,
                ],
                ['holder', p.holder ?? '-'],
                ['claims', JSON.stringify(p.claims)],
                ...(failed.length > 0 ? ([['failed', failed.join('; ')]] as [string, unknown][]) : []),
              ])
            }
        })
        return r.result?.valid ? 0 : 1
      }),
    )
}
