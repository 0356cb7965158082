import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { createInterface } from 'node:readline/promises'
import { Writable } from 'node:stream'
import { createSigner, fromHex, toHex } from '@clavis/crypto'
import { createDidEthrKey } from '@clavis/did'
import {
  type CredentialStore,
  createPresenter,
  createReceiver,
  type HeldCredential,
  HolderError,
  type HolderKey,
} from '@clavis/holder'
import { setGlobalConfig } from '@openid4vc/oauth2'
import type { Command } from 'commander'
import type { DIDResolutionResult, Resolvable } from 'did-resolver'
import type { Act } from '../action'
import { CliError } from '../errors'
import { printFields } from '../format'
import type { Session } from '../session'
import { readWallet, type WalletContents, writeWallet } from '../wallet-file'

interface WalletOptions {
  wallet?: string
}

const walletPath = (s: Session, o: WalletOptions) =>
  resolve(s.cwd, o.wallet ?? s.env.CLAVIS_WALLET ?? 'wallet.clavis')

/** The passphrase: $CLAVIS_WALLET_PASSPHRASE, or asked on the terminal (not echoed). */
async function passphraseOf(s: Session, options: { confirm?: boolean } = {}): Promise<string> {
  const fromEnv = s.env.CLAVIS_WALLET_PASSPHRASE
  if (fromEnv !== undefined && fromEnv.length > 0) return fromEnv
  if (!process.stdin.isTTY)
    throw CliError.usage(
      'The wallet is encrypted: set CLAVIS_WALLET_PASSPHRASE, or run in a terminal to be asked.',
    )
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() })
  const ask = async (prompt: string) => {
    process.stderr.write(prompt)
    const rl = createInterface({ input: process.stdin, output: muted, terminal: true })
    try {
      return await rl.question('')
    } finally {
      rl.close()
      process.stderr.write('\n')
    }
  }
  const first = await ask('Wallet passphrase: ')
  if (options.confirm && (await ask('Again: ')) !== first) throw CliError.usage('The two passphrases differ.')
  return first
}

/** DID resolution through the agent (`GET /v1/dids/{did}`): the CLI's view of the chain is its agent's. */
function agentResolver(s: Session): Resolvable {
  return {
    async resolve(didUrl: string): Promise<DIDResolutionResult> {
      try {
        const did = didUrl.split('#')[0]!
        return (await s.publicApi().resolveDid({ params: { did } })) as DIDResolutionResult
      } catch {
        return { didResolutionMetadata: { error: 'notFound' }, didDocument: null, didDocumentMetadata: {} }
      }
    },
  }
}

/** The wallet's key as the holder library takes it (the private key stays in this process). */
function holderKeyOf(contents: WalletContents, chainId: number): HolderKey {
  const privateKey = fromHex(contents.key.privateKeyHex)!
  const key = createDidEthrKey({ chainId, privateKey })
  return {
    did: key.did,
    kid: key.kid,
    alg: 'ES256K',
    jwk: key.jwk,
    sign: createSigner({ alg: 'ES256K', privateKey }),
  }
}

/** A store over the opened wallet: every change is written back, encrypted, at once. */
function fileStore(path: string, passphrase: string, contents: WalletContents): CredentialStore {
  const save = () => writeWallet(path, passphrase, contents)
  return {
    async list() {
      return structuredClone(contents.credentials)
    },
    async put(credential) {
      contents.credentials = [...contents.credentials.filter((c) => c.id !== credential.id), credential]
      save()
    },
    async delete(id) {
      const before = contents.credentials.length
      contents.credentials = contents.credentials.filter((c) => c.id !== id)
      if (contents.credentials.length !== before) save()
      return contents.credentials.length !== before
    },
  }
}

/** The OpenID4VC libraries refuse http: URLs unless told; the embedded agent is http on loopback. */
function allowLoopbackHttp(s: Session): void {
  const url = new URL(s.agentUrl)
  if (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
    setGlobalConfig({ allowInsecureUrls: true })
}

const describe = (c: HeldCredential) => `${c.type} (${c.format}) from ${c.issuerName ?? c.issuer}`

const holderFailure = (e: unknown): never => {
  if (e instanceof HolderError) throw new CliError(e.message, e.code)
  throw e
}

/** `wallet create|receive|list|present`: a holder's wallet in an encrypted file, on @clavis/holder. */
export function registerWallet(program: Command, act: Act): void {
  const wallet = program
    .command('wallet')
    .description(
      "a holder's wallet in an encrypted file: receive credentials from offers, present them to verifiers",
    )
    .addHelpText(
      'after',
      [
        '',
        'The file (--wallet, $CLAVIS_WALLET, default ./wallet.clavis) holds your key and credentials,',
        'encrypted with a passphrase ($CLAVIS_WALLET_PASSPHRASE, or asked).',
        '',
        'Examples:',
        '  clavis wallet create',
        "  clavis wallet receive 'openid-credential-offer://?credential_offer_uri=…' --tx-code 123456",
        '  clavis wallet list',
        "  clavis wallet present 'openid4vp://?client_id=…&request_uri=…' --yes",
      ].join('\n'),
    )

  wallet
    .command('create')
    .description('make a wallet: a new secp256k1 key and its did:ethr on the agent’s chain')
    .option('--wallet <file>', 'the wallet file (default ./wallet.clavis)')
    .action(
      act<WalletOptions>(async (s, _args, o) => {
        const path = walletPath(s, o)
        if (existsSync(path))
          throw CliError.usage(`${path} exists; a wallet is never overwritten. Choose another --wallet.`)
        const passphrase = await passphraseOf(s, { confirm: true })
        if (passphrase.length < 8) throw CliError.usage('Choose a passphrase of at least 8 characters.')
        const key = createDidEthrKey({ chainId: await s.chainId() })
        writeWallet(path, passphrase, {
          key: { privateKeyHex: toHex(key.privateKey), did: key.did },
          credentials: [],
        })
        s.print({ wallet: path, did: key.did }, () =>
          printFields([
            ['wallet', path],
            ['did', key.did],
          ]),
        )
        return 0
      }),
    )

  wallet
    .command('receive')
    .description(
      'collect a credential offer (OpenID4VCI): the credential is checked, bound to your key, and kept',
    )
    .argument('<offer>', 'the openid-credential-offer:// link (or QR code content)')
    .option('--tx-code <code>', 'the transaction code the issuer told you')
    .option('--wallet <file>', 'the wallet file (default ./wallet.clavis)')
    .action(
      act<WalletOptions & { txCode?: string }>(async (s, [offer], o) => {
        const path = walletPath(s, o)
        const passphrase = await passphraseOf(s)
        const contents = readWallet(path, passphrase)
        allowLoopbackHttp(s)
        const receiver = createReceiver({ resolver: agentResolver(s) })
        const seen = await receiver.resolve(offer ?? '').catch(holderFailure)
        if (seen.txCode && o.txCode === undefined)
          throw CliError.usage(
            `This offer needs the ${seen.txCode.length ?? ''}-digit code the issuer gave you: add --tx-code CODE.`,
          )
        // Every format offered that the wallet holds: a verifier may ask for either.
        const configurationIds = seen.configurations
          .filter((c) => c.format === 'jwt_vc_json' || c.format === 'dc+sd-jwt')
          .map((c) => c.id)
        const held = await receiver
          .receive({
            offer: offer ?? '',
            txCode: o.txCode,
            ...(configurationIds.length > 0 ? { configurationIds } : {}),
            key: holderKeyOf(contents, await s.chainId()),
            store: fileStore(path, passphrase, contents),
          })
          .catch(holderFailure)
        s.print(held, () => {
          for (const c of held)
            printFields([
              ['received', describe(c)],
              ['id', c.id],
              ['valid until', c.validUntil ?? '-'],
            ])
        })
        return 0
      }),
    )

  wallet
    .command('list')
    .description('the credentials in the wallet')
    .option('--wallet <file>', 'the wallet file (default ./wallet.clavis)')
    .action(
      act<WalletOptions>(async (s, _args, o) => {
        const contents = readWallet(walletPath(s, o), await passphraseOf(s))
        const rows = contents.credentials.map((c) => ({
          id: c.id,
          type: c.type,
          format: c.format,
          issuer: c.issuer,
          issuerName: c.issuerName,
          validUntil: c.validUntil,
        }))
        s.print({ did: contents.key.did, credentials: rows }, () => {
          process.stdout.write(`did ${contents.key.did}\n`)
          if (rows.length === 0) process.stdout.write('no credentials yet: clavis wallet receive <offer>\n')
          for (const r of rows)
            process.stdout.write(
              `${r.id}  ${r.type}  ${r.format}  ${r.issuerName ?? r.issuer}  until ${r.validUntil ?? '-'}\n`,
            )
        })
        return 0
      }),
    )

  wallet
    .command('present')
    .description('answer a presentation request (OpenID4VP): shows who asks for what, shares only that')
    .argument('<request>', 'the openid4vp:// link (or QR code content)')
    .option('--credential <id>', 'which credential to use (default: the first that answers)')
    .option('--leave-out <claims>', 'claims not to share when the request allows it, comma-separated')
    .option('--yes', 'share without asking (the request is printed first)')
    .option('--wallet <file>', 'the wallet file (default ./wallet.clavis)')
    .action(
      act<WalletOptions & { credential?: string; leaveOut?: string; yes?: boolean }>(async (s, [uri], o) => {
        const path = walletPath(s, o)
        const contents = readWallet(path, await passphraseOf(s))
        allowLoopbackHttp(s)
        const presenter = createPresenter({ resolver: agentResolver(s) })
        const request = await presenter.resolve(uri ?? '').catch(holderFailure)
        const matches = presenter.match(request, contents.credentials)
        const leaveOut = (o.leaveOut ?? '')
          .split(',')
          .map((c) => c.trim())
          .filter(Boolean)
        const chosen: Record<string, HeldCredential | undefined> = {}
        for (const asked of request.asked) {
          const candidates = matches[asked.id] ?? []
          const pick = o.credential ? candidates.find((c) => c.id === o.credential) : candidates[0]
          if (!pick && asked.required)
            throw new CliError(
              `The verifier asks for ${asked.format} "${asked.id}" and the wallet holds nothing that answers it.`,
              'no_matching_credential',
            )
          chosen[asked.id] = pick
        }
        const organisations = await s
          .publicApi()
          .listOrganisations()
          .catch(() => ({ organisations: [] }))
        const known = organisations.organisations.find((org) => org.did === request.verifier.did)
        process.stderr.write(
          [
            `${known ? known.name : 'An unknown verifier'} (${request.verifier.did}) asks for:`,
            ...request.asked.map((a) => {
              const c = chosen[a.id]
              const shared = a.claims.filter((n) => !leaveOut.includes(n))
              return `  ${a.id}: ${c ? describe(c) : 'nothing you hold (optional)'} — ${shared.join(', ') || 'no claims'}`
            }),
            `The answer goes to ${new URL(request.responseUri).origin}.`,
            '',
          ].join('\n'),
        )
        if (!known)
          process.stderr.write(
            'Warning: this agent does not know the verifier; share only if you expected it.\n',
          )
        if (!o.yes) throw CliError.usage('Nothing was shared. Run again with --yes to share exactly this.')
        await presenter
          .respond({
            request,
            chosen,
            key: holderKeyOf(contents, await s.chainId()),
            leaveOut: Object.fromEntries(request.asked.map((a) => [a.id, leaveOut])),
          })
          .catch(holderFailure)
        s.print({ shared: true, verifier: request.verifier.did }, () =>
          process.stdout.write('shared: the verifier accepted it\n'),
        )
        return 0
      }),
    )
}
