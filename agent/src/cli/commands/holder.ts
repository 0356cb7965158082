import { type Command, Option } from 'commander'
import type { Act } from '../action'
import { CliError } from '../errors'
import { printFields } from '../format'
import { type HolderKey, holderKeyOf, writeNewHolderKey } from '../holder-keys'
import type { Session } from '../session'
import { readRequestFile } from './verification'

function readKey(s: Session, file: string, chainId: number): HolderKey {
  return holderKeyOf({ jwk: s.readJson(file, 'the key file'), chainId })
}

interface PresentOptions {
  credential: string
  key: string
  request?: string
  nonce?: string
  audience?: string
  disclose?: string
  out?: string
}

/** Holder commands: keys stay on this machine. `keygen`, `present`. */
export function registerHolder(program: Command, act: Act): void {
  program
    .command('keygen')
    .description("a holder's key (private JWK, mode 0600) and its did:ethr")
    .requiredOption('--out <file>', 'where to write the private key (never overwritten)')
    .addOption(new Option('--alg <alg>', 'the curve').choices(['ES256K', 'ES256']).default('ES256K'))
    .addHelpText('after', '\nExample:\n  clavis keygen --out patient.jwk')
    .action(
      act<{ out: string; alg: 'ES256K' | 'ES256' }>(async (s, _a, o) => {
        const chainId = await s.chainId()
        let key: HolderKey
        try {
          key = writeNewHolderKey({ alg: o.alg, path: s.resolvePath(o.out), chainId })
        } catch (e) {
          if ((e as { code?: string }).code === 'EEXIST')
            throw CliError.usage(`${o.out} exists; a key is never overwritten. Choose another --out.`)
          throw CliError.usage(`Cannot write ${o.out}: ${(e as Error).message}`)
        }
        s.print({ did: key.did ?? null, jwk: key.jwk, file: o.out }, () =>
          printFields([
            ['did', key.did ?? '(a P-256 key has no did:ethr; it can bind SD-JWT VCs)'],
            ['key file', `${o.out} (private: keep it, never share it)`],
          ]),
        )
        return 0
      }),
    )

  program
    .command('present')
    .description('present a credential to a verifier: a JWT VP, or an SD-JWT VC with key binding')
    .requiredOption('--credential <file>', 'the credential (JWT-VC or SD-JWT VC)')
    .requiredOption('--key <file>', 'your key file (clavis keygen)')
    .option('--request <file>', 'the request file (its nonce and audience are used; its secret is not)')
    .option('--nonce <nonce>', "the verifier's nonce, without --request")
    .option('--audience <did>', "the verifier's DID, without --request")
    .option('--disclose <claims>', 'SD-JWT VC: the claims to disclose, comma separated (e.g. name,birthDate)')
    .option('--out <file>', 'write the presentation to this file (else stdout)')
    .addHelpText(
      'after',
      '\nExample:\n  clavis present --credential identity.sd-jwt --key patient.jwk --request request.json --disclose name,birthDate --out presentation.txt',
    )
    .action(
      act<PresentOptions>(async (s, _a, o) => {
        const credential = s.read(o.credential, 'the credential').trim()
        if (!credential) throw CliError.usage(`The credential file ${o.credential} is empty.`)
        const isSdJwt = credential.includes('~')
        if (!isSdJwt && o.disclose !== undefined)
          throw CliError.usage(
            '--disclose works with SD-JWT VCs only; a JWT-VC is always presented whole (issue with --format sd-jwt to choose what to share).',
          )
        let nonce = o.nonce
        let audience = o.audience
        if (o.request !== undefined) {
          const r = readRequestFile(s, o.request)
          nonce = r.nonce
          audience = r.audience
        }
        if (nonce === undefined || audience === undefined)
          throw CliError.usage("Give --request FILE, or --nonce and --audience (the verifier's request).")
        const key = readKey(s, o.key, await s.chainId())
        let presentation: string
        try {
          if (isSdJwt) {
            const { presentSdJwtVc } = await import('@clavis/sd-jwt')
            const disclose = (o.disclose ?? '').split(',').filter(Boolean)
            presentation = await presentSdJwtVc({
              credential,
              disclose,
              keyBinding: { alg: key.alg, signer: key.signer, nonce, audience },
            })
          } else {
            if (!key.did) throw CliError.usage('A JWT VP needs an ES256K key (its did:ethr is the holder).')
            const { presentJwtVp } = await import('@clavis/verify')
            presentation = await presentJwtVp({
              credentials: [credential],
              holder: key.did,
              kid: `${key.did}#controllerKey`,
              signer: key.signer,
              // A VC 2.0 vc+jwt goes into a VC 2.0 vp+jwt; a VC 1.1 JWT-VC into a VC 1.1 JWT VP.
              format: typOf(credential) === 'vc+jwt' ? 'vp+jwt' : 'jwt_vp',
              nonce,
              audience,
            })
          }
        } catch (e) {
          if (e instanceof CliError) throw e
          throw new CliError(
            `Cannot present: ${(e as Error).message}`,
            (e as { code?: string }).code ?? 'present_failed',
          )
        }
        if (o.out !== undefined) s.write(o.out, `${presentation}\n`)
        s.print({ presentation }, () =>
          o.out === undefined
            ? process.stdout.write(`${presentation}\n`)
            : s.note(`presentation written to ${o.out}`),
        )
        return 0
      }),
    )
}

/** The `typ` of a compact JWT's header, if it can be read. */
function typOf(jwt: string): unknown {
  try {
    return JSON.parse(Buffer.from(jwt.slice(0, jwt.indexOf('.')), 'base64url').toString('utf8')).typ
  } catch {
    return undefined
  }
}
