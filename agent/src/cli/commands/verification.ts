import { type Command, Option } from 'commander'
import type { Act } from '../action'
import { CliError } from '../errors'
import { printFields, printJson, printPresentation, printVerification } from '../format'
import type { Session } from '../session'

/** What `request-presentation --out` writes: everything verify-presentation needs (mode 0600). */
export interface RequestFile {
  verifier: string
  nonce: string
  audience: string
  expiresAt: string
  requestSecret: string
}

/** Reads a request file written by `request-presentation --out`. */
export function readRequestFile(s: Session, path: string): RequestFile {
  const r = s.readJson(path, 'the request file') as Partial<RequestFile> | null
  const ok =
    r !== null &&
    typeof r === 'object' &&
    ['verifier', 'nonce', 'audience', 'requestSecret'].every(
      (k) => typeof r[k as keyof RequestFile] === 'string',
    )
  if (!ok)
    throw CliError.usage(
      `${path} is not a request file; make one with clavis request-presentation --out FILE.`,
    )
  return r as RequestFile
}

/** The verifier: --verifier (id, DID or name), else the organisation of the staff token, else none. */
async function verifierId(s: Session, ref: string | undefined): Promise<string | undefined> {
  if (ref !== undefined) return (await s.findOrganisation(ref)).id
  if (!s.staffToken()) return undefined
  return (await s.myOrganisation()).id
}

function readSubject(s: Session, file: string | undefined, what: string): string {
  if (file === undefined && process.stdin.isTTY)
    throw CliError.usage(`Nothing to verify: give the ${what} file, or pipe it in and say -.`)
  const text = s.read(file ?? '-', `the ${what}`).trim()
  if (!text) throw CliError.usage(`The ${what} ${file ?? 'on stdin'} is empty.`)
  return text
}

/** `verify`, `request-presentation`, `verify-presentation`. */
export function registerVerification(program: Command, act: Act): void {
  program
    .command('verify')
    .description("verify a JWT-VC against a verifier's trust list; exit 1 when not valid")
    .argument('[file]', 'the credential; - for stdin')
    .option('--verifier <organisation>', 'whose trust list (id, DID or name; default: your organisation)')
    .option(
      '--batch',
      "(verifier staff) FILE holds many JWT-VCs, one per line: verify them all on the agent's workers, with progress",
    )
    .addHelpText(
      'after',
      '\nExamples:\n  clavis verify licence.jwt\n  clavis verify licence.jwt --verifier "Demo General Hospital"\n  clavis credentials get <id> | clavis verify -\n  clavis verify --batch licences.txt      # re-check every stored licence (e.g. after a key compromise)',
    )
    .action(
      act<{ verifier?: string; batch?: boolean }>(async (s, [file], o) => {
        if (o.batch) {
          if (file === undefined && process.stdin.isTTY)
            throw CliError.usage(
              'Nothing to verify: give the batch file (one JWT-VC per line), or - for stdin.',
            )
          const verifier =
            o.verifier === undefined ? (await s.myOrganisation()).id : await verifierId(s, o.verifier)
          const { verifyBatch } = await import('./verify-batch')
          return verifyBatch(s, { file: file ?? '-', verifier: verifier! })
        }
        const credential = readSubject(s, file, 'credential')
        const verifier = await verifierId(s, o.verifier)
        if (verifier === undefined)
          s.note(
            '(no verifier: nobody is trusted, so the credential cannot be valid; set CLAVIS_TOKEN or --verifier)',
          )
        const r = await s
          .publicApi({ credential: file ?? 'stdin', verifier: '--verifier' })
          .verifyCredential({ body: { credential, ...(verifier ? { verifier } : {}) } })
        s.print(r, () => printVerification(r))
        return r.valid ? 0 : 1
      }),
    )

  program
    .command('request-presentation')
    .description(
      '(verifier staff) a single-use nonce, the audience to present to, and the secret to verify with',
    )
    .option('--ttl <seconds>', 'how long the nonce lives (30 to 600)')
    .option(
      '--out <file>',
      'write the request (with its secret, mode 0600) for present and verify-presentation',
    )
    .addHelpText('after', '\nExample:\n  clavis request-presentation --out request.json')
    .action(
      act<{ ttl?: string; out?: string }>(async (s, _a, o) => {
        if (o.ttl !== undefined && !/^\d{1,4}$/.test(o.ttl))
          throw CliError.usage(`--ttl ${o.ttl} is not a whole number of seconds (30 to 600).`)
        const org = await s.myOrganisation()
        const r = await s.staffApi({ ttlSeconds: '--ttl' }).createPresentationRequest({
          params: { id: org.id },
          body: o.ttl === undefined ? {} : { ttlSeconds: Number(o.ttl) },
        })
        const request: RequestFile = { verifier: org.id, ...r }
        if (o.out !== undefined) s.write(o.out, `${JSON.stringify(request, null, 2)}\n`, { private: true })
        s.print(request, () =>
          printFields([
            ['nonce', r.nonce],
            ['audience', r.audience],
            ['expires', r.expiresAt],
            o.out === undefined
              ? ['secret', `${r.requestSecret}   (verify-presentation needs it; the holder never does)`]
              : ['written to', `${o.out} (holds the secret: give the holder only nonce and audience)`],
          ]),
        )
        return 0
      }),
    )

  program
    .command('verify-presentation')
    .description('verify a JWT VP or SD-JWT VC presentation made for your request; exit 1 when not valid')
    .argument('[file]', 'the presentation; - for stdin')
    .option('--request <file>', 'the request file from request-presentation --out')
    .option('--verifier <organisation>', 'the verifying organisation (id, DID or name), without --request')
    .option('--nonce <nonce>', 'the nonce of the request, without --request')
    .addOption(new Option('--request-secret <secret>', 'the secret of the request, without --request'))
    .addHelpText('after', '\nExample:\n  clavis verify-presentation presentation.txt --request request.json')
    .action(
      act<{ request?: string; verifier?: string; nonce?: string; requestSecret?: string }>(
        async (s, [file], o) => {
          const presentation = readSubject(s, file, 'presentation')
          let body: { verifier: string; nonce: string; requestSecret: string }
          if (o.request !== undefined) {
            const r = readRequestFile(s, o.request)
            body = { verifier: r.verifier, nonce: r.nonce, requestSecret: r.requestSecret }
          } else {
            if (o.nonce === undefined || o.requestSecret === undefined)
              throw CliError.usage(
                'Give --request FILE, or --nonce and --request-secret (from request-presentation).',
              )
            const verifier = await verifierId(s, o.verifier)
            if (!verifier)
              throw CliError.usage("Give --verifier (or set CLAVIS_TOKEN to the verifier's token).")
            body = { verifier, nonce: o.nonce, requestSecret: o.requestSecret }
          }
          const api = s.publicApi({
            presentation: file ?? 'stdin',
            verifier: '--verifier',
            nonce: '--nonce',
            requestSecret: '--request-secret',
          })
          const r = await api.verifyPresentation({ body: { presentation, ...body } })
          s.print(r, () => {
            printPresentation(r)
            if (r.disclosed) printJson(r.disclosed)
          })
          return r.valid ? 0 : 1
        },
      ),
    )
}
