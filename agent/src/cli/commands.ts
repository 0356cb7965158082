import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { adminToken, CliError, type ClientOptions, call, staffToken } from './client'
import { printFields, printJson, printVerification } from './format'
import { publicJwkOf } from './holder-keys'

/** Parsed command line: positionals after the command words, and flag values. */
export interface Invocation {
  args: string[]
  flags: Record<string, string | boolean | string[] | undefined>
  json: boolean
  agentUrl: string
  env: NodeJS.ProcessEnv
}

type Command = (inv: Invocation) => Promise<number>

export const str = (inv: Invocation, name: string): string | undefined => {
  const v = inv.flags[name]
  return typeof v === 'string' ? v : undefined
}

export function need(inv: Invocation, name: string, hint: string): string {
  const v = str(inv, name)
  if (!v) throw new CliError(`Missing --${name}. ${hint}`, 'usage', 2)
  return v
}

/** Reads a file (relative to where the user ran the command) or stdin for `-`. */
export function readInput(pathOrDash: string | undefined): string {
  try {
    // Relative to where the user ran the command (pnpm runs scripts from the workspace root).
    const base = process.env.INIT_CWD ?? process.cwd()
    return readFileSync(pathOrDash && pathOrDash !== '-' ? resolve(base, pathOrDash) : 0, 'utf8')
  } catch (e) {
    throw new CliError(`Cannot read ${pathOrDash ?? 'stdin'}: ${(e as Error).message}`, 'usage', 2)
  }
}

export const publicClient = (inv: Invocation): ClientOptions => ({ agentUrl: inv.agentUrl, token: undefined })
const admin = (inv: Invocation): ClientOptions => ({
  agentUrl: inv.agentUrl,
  token: adminToken(str(inv, 'token'), inv.env),
})
export const staff = (inv: Invocation): ClientOptions => ({
  agentUrl: inv.agentUrl,
  token: staffToken(str(inv, 'token'), inv.env),
})

export async function myOrganisation(
  client: ClientOptions,
): Promise<{ id: string; did: string; name: string }> {
  const me = await call<{ role: string; organisation?: { id: string; did: string; name: string } }>(
    client,
    'GET',
    '/v1/me',
  )
  if (!me.organisation)
    throw new CliError('This is the operator token; use an organisation staff token.', 'forbidden')
  return me.organisation
}

export function out(inv: Invocation, value: unknown, human: () => void): number {
  if (inv.json) printJson(value)
  else human()
  return 0
}

type Org = { id: string; name: string; kind: string; did: string; status?: string; createdAt: string }

/** Every command, by its words. */
export const COMMANDS: Record<string, { usage: string; run: Command }> = {
  health: {
    usage:
      'health                                  chain and registry of the agent (with the operator token: database too)',
    run: async (inv) => {
      let token: string | undefined
      try {
        token = adminToken(str(inv, 'token'), inv.env)
      } catch {}
      const h = await call<{ status: string; chain: Record<string, unknown>; database?: { type: string } }>(
        { agentUrl: inv.agentUrl, token },
        'GET',
        '/v1/health',
      )
      return out(inv, h, () =>
        printFields([
          ['status', h.status],
          ['chain id', h.chain.chainId],
          ['latest block', h.chain.latestBlock],
          ['registry', h.chain.registry],
          ...(h.chain.embedded === undefined
            ? []
            : ([['embedded', h.chain.embedded]] as [string, unknown][])),
          ...(h.database ? ([['database', h.database.type]] as [string, unknown][]) : []),
        ]),
      )
    },
  },
  'org list': {
    usage: 'org list                                organisations and their DIDs',
    run: async (inv) => {
      const r = await call<{ organisations: Org[] }>(publicClient(inv), 'GET', '/v1/organisations')
      return out(inv, r, () => {
        for (const o of r.organisations)
          process.stdout.write(`${o.id}  ${o.kind.padEnd(8)}  ${o.name}\n    ${o.did}\n`)
        if (r.organisations.length === 0) process.stdout.write('no organisations\n')
      })
    },
  },
  'org create': {
    usage: 'org create --name NAME --kind board|hospital   (operator) new organisation with an on-chain DID',
    run: async (inv) => {
      const body = {
        name: need(inv, 'name', 'e.g. --name "State Medical Board"'),
        kind: need(inv, 'kind', 'board or hospital'),
      }
      const r = await call<{ organisation: Org; token: string }>(
        admin(inv),
        'POST',
        '/v1/organisations',
        body,
      )
      return out(inv, r, () => {
        printFields([
          ['id', r.organisation.id],
          ['name', r.organisation.name],
          ['kind', r.organisation.kind],
          ['did', r.organisation.did],
        ])
        process.stdout.write(`staff token (shown once, keep it safe): ${r.token}\n`)
      })
    },
  },
  'org token': {
    usage: "org token ID                            (operator) replace an organisation's staff token",
    run: async (inv) => {
      const id = inv.args[0]
      if (!id)
        throw new CliError('Name the organisation: clavis org token <id> (see clavis org list).', 'usage', 2)
      const r = await call<{ token: string }>(
        admin(inv),
        'POST',
        `/v1/organisations/${encodeURIComponent(id)}/token`,
      )
      return out(inv, r, () => process.stdout.write(`new staff token (shown once): ${r.token}\n`))
    },
  },
  whoami: {
    usage: 'whoami                                  whose token this is',
    run: async (inv) => {
      const r = await call<{ role: string; organisation?: Org }>(staff(inv), 'GET', '/v1/me')
      return out(inv, r, () =>
        printFields([
          ['role', r.role],
          ['organisation', r.organisation?.name],
          ['did', r.organisation?.did],
        ]),
      )
    },
  },
  'did resolve': {
    usage: 'did resolve DID                         the DID document (any DID on this chain)',
    run: async (inv) => {
      const did = inv.args[0]
      if (!did) throw new CliError('Give the DID: clavis did resolve did:ethr:0x7a69:0x…', 'usage', 2)
      const r = await call(publicClient(inv), 'GET', `/v1/dids/${encodeURIComponent(did)}`)
      printJson(r)
      return 0
    },
  },
  'did show': {
    usage: "did show                                your organisation's DID document and change history",
    run: async (inv) => {
      const client = staff(inv)
      const org = await myOrganisation(client)
      const r = await call<{
        resolution: unknown
        events: { kind: string; at: string; txHash: string | null }[]
      }>(client, 'GET', `/v1/organisations/${org.id}/did`)
      return out(inv, r, () => {
        printJson(r.resolution)
        for (const e of r.events) process.stdout.write(`${e.at}  ${e.kind}  ${e.txHash ?? ''}\n`)
      })
    },
  },
  'did add-service': {
    usage: 'did add-service --type TYPE --endpoint URL   add a service endpoint on chain',
    run: async (inv) => {
      const client = staff(inv)
      const org = await myOrganisation(client)
      const body = {
        type: need(inv, 'type', 'e.g. --type LinkedDomains'),
        serviceEndpoint: need(inv, 'endpoint', 'an https URL'),
      }
      const r = await call<{ txHash: string }>(
        client,
        'POST',
        `/v1/organisations/${org.id}/did/services`,
        body,
      )
      return out(inv, r, () => process.stdout.write(`service added (tx ${r.txHash})\n`))
    },
  },
  'did add-key': {
    usage: 'did add-key [--validity SECONDS]        add a delegate signing key on chain',
    run: async (inv) => {
      const client = staff(inv)
      const org = await myOrganisation(client)
      const validity = str(inv, 'validity')
      const body = validity === undefined ? {} : { validitySeconds: Number(validity) }
      const r = await call<{ kid: string; txHash: string; validUntil: string }>(
        client,
        'POST',
        `/v1/organisations/${org.id}/did/keys`,
        body,
      )
      return out(inv, r, () =>
        printFields([
          ['kid', r.kid],
          ['valid until', r.validUntil],
          ['tx', r.txHash],
        ]),
      )
    },
  },
  'did revoke-key': {
    usage: 'did revoke-key KID                      revoke a delegate key on chain',
    run: async (inv) => {
      const kid = inv.args[0]
      if (!kid) throw new CliError('Give the key id: clavis did revoke-key <kid>.', 'usage', 2)
      const client = staff(inv)
      const org = await myOrganisation(client)
      const r = await call<{ txHash: string }>(
        client,
        'DELETE',
        `/v1/organisations/${org.id}/did/keys/${encodeURIComponent(kid)}`,
      )
      return out(inv, r, () => process.stdout.write(`key revoked (tx ${r.txHash})\n`))
    },
  },
  'did rotate': {
    usage: 'did rotate --policy routine|compromise  rotate the controller key',
    run: async (inv) => {
      const client = staff(inv)
      const org = await myOrganisation(client)
      const policy = need(inv, 'policy', 'routine (old credentials keep verifying) or compromise (they stop)')
      const r = await call<{
        newKid: string
        oldKeyVerifiableUntil?: string
        reissue: { id: string; type: string; subjectDid: string }[]
      }>(client, 'POST', `/v1/organisations/${org.id}/did/rotate`, { policy })
      return out(inv, r, () => {
        printFields([
          ['new key', r.newKid],
          ['old key verifies until', r.oldKeyVerifiableUntil ?? '-'],
        ])
        if (r.reissue.length > 0) {
          process.stdout.write(`${r.reissue.length} credential(s) must be re-issued:\n`)
          for (const c of r.reissue) process.stdout.write(`  ${c.id}  ${c.type}  ${c.subjectDid}\n`)
        }
      })
    },
  },
  'did deactivate': {
    usage: 'did deactivate --yes                    deactivate your DID (irreversible)',
    run: async (inv) => {
      if (inv.flags.yes !== true)
        throw new CliError('Deactivation cannot be undone; confirm with --yes.', 'usage', 2)
      const client = staff(inv)
      const org = await myOrganisation(client)
      const r = await call<{ txHash: string }>(client, 'POST', `/v1/organisations/${org.id}/did/deactivate`)
      return out(inv, r, () => process.stdout.write(`DID deactivated (tx ${r.txHash})\n`))
    },
  },
  issue: {
    usage:
      'issue licence|identity --subject DID --claims FILE|- [--valid-until ISO] [--valid-from ISO] [--format jwt|sd-jwt --holder-jwk FILE]',
    run: async (inv) => {
      const which = inv.args[0]
      const type =
        which === 'licence' || which === 'license'
          ? 'ClinicianLicenseCredential'
          : which === 'identity'
            ? 'PatientIdentityCredential'
            : undefined
      if (!type)
        throw new CliError('Say what to issue: clavis issue licence … or clavis issue identity …', 'usage', 2)
      let claims: unknown
      const source = need(inv, 'claims', 'a JSON file of claims, or - for stdin')
      try {
        claims = JSON.parse(readInput(source))
      } catch (e) {
        if (e instanceof CliError) throw e
        throw new CliError(`The claims in ${source} are not valid JSON.`, 'malformed_json', 2)
      }
      const client = staff(inv)
      const org = await myOrganisation(client)
      const format = str(inv, 'format') ?? 'jwt'
      if (format !== 'jwt' && format !== 'sd-jwt')
        throw new CliError('--format is jwt or sd-jwt.', 'usage', 2)
      let holderJwk: unknown
      if (format === 'sd-jwt') {
        const file = need(
          inv,
          'holder-jwk',
          "the holder's public JWK (from clavis keygen), to bind the SD-JWT VC to",
        )
        try {
          holderJwk = publicJwkOf(JSON.parse(readInput(file)))
        } catch (e) {
          if (e instanceof CliError) throw e
          throw new CliError(`${file} is not a JWK file.`, 'usage', 2)
        }
      }
      const body = {
        type,
        subject: need(inv, 'subject', 'the DID of the clinician or patient'),
        claims,
        ...(format === 'sd-jwt' ? { format: 'dc+sd-jwt', holderJwk } : {}),
        ...(str(inv, 'valid-from') ? { validFrom: str(inv, 'valid-from') } : {}),
        ...(str(inv, 'valid-until') ? { validUntil: str(inv, 'valid-until') } : {}),
      }
      const r = await call<{ id: string; jwt: string; validUntil: string | null }>(
        client,
        'POST',
        `/v1/organisations/${org.id}/credentials`,
        body,
      )
      return out(inv, r, () => {
        printFields([
          ['id', r.id],
          ['type', type],
          ['valid until', r.validUntil],
        ])
        process.stdout.write(`${r.jwt}\n`)
      })
    },
  },
  'credentials list': {
    usage: 'credentials list [--reissue-required]   credentials your organisation issued',
    run: async (inv) => {
      const client = staff(inv)
      const org = await myOrganisation(client)
      const q = inv.flags['reissue-required'] === true ? '?reissueRequired=true' : ''
      const r = await call<{
        credentials: {
          id: string
          type: string
          subject: string
          issuedAt: string
          reissueRequired: boolean
        }[]
        total: number
      }>(client, 'GET', `/v1/organisations/${org.id}/credentials${q}`)
      return out(inv, r, () => {
        for (const c of r.credentials) {
          process.stdout.write(
            `${c.id}  ${c.issuedAt}  ${c.type}${c.reissueRequired ? '  REISSUE' : ''}\n    ${c.subject}\n`,
          )
        }
        process.stdout.write(`${r.total} in all\n`)
      })
    },
  },
  'credentials get': {
    usage: 'credentials get ID                      one credential (prints its JWT)',
    run: async (inv) => {
      const id = inv.args[0]
      if (!id) throw new CliError('Give the credential id: clavis credentials get <id>.', 'usage', 2)
      const client = staff(inv)
      const org = await myOrganisation(client)
      const r = await call<{ jwt: string }>(
        client,
        'GET',
        `/v1/organisations/${org.id}/credentials/${encodeURIComponent(id)}`,
      )
      return out(inv, r, () => process.stdout.write(`${r.jwt}\n`))
    },
  },
  verify: {
    usage: 'verify [FILE|-] [--verifier ORG_ID]     verify a JWT-VC; exit 1 when not valid',
    run: async (inv) => {
      const credential = readInput(inv.args[0]).trim()
      if (!credential)
        throw new CliError('Nothing to verify: give a file or pipe the JWT on stdin.', 'usage', 2)
      const verifier = str(inv, 'verifier')
      const r = await call<{
        valid: boolean
        checks: Record<string, { passed: boolean; code?: string; reason?: string }>
      }>(publicClient(inv), 'POST', '/v1/verify', { credential, ...(verifier ? { verifier } : {}) })
      out(inv, r, () => printVerification(r))
      return r.valid ? 0 : 1
    },
  },
  'trust list': {
    usage: 'trust list                              your trust list',
    run: async (inv) => {
      const client = staff(inv)
      const org = await myOrganisation(client)
      const r = await call<{ entries: { issuer: string; types: string[] }[] }>(
        client,
        'GET',
        `/v1/organisations/${org.id}/trust`,
      )
      return out(inv, r, () => {
        for (const e of r.entries) process.stdout.write(`${e.issuer}\n    ${e.types.join(', ')}\n`)
      })
    },
  },
  'trust add': {
    usage: 'trust add --issuer DID --type TYPE [--type TYPE]   trust an issuer for credential types',
    run: async (inv) => {
      const client = staff(inv)
      const org = await myOrganisation(client)
      const t = inv.flags.type
      const types = Array.isArray(t) ? t : typeof t === 'string' ? [t] : []
      if (types.length === 0)
        throw new CliError('Missing --type, e.g. --type ClinicianLicenseCredential.', 'usage', 2)
      const r = await call(client, 'POST', `/v1/organisations/${org.id}/trust`, {
        issuer: need(inv, 'issuer', 'the issuer DID'),
        types,
      })
      return out(inv, r, () => process.stdout.write('trust list updated\n'))
    },
  },
  'trust remove': {
    usage: 'trust remove --issuer DID [--type TYPE]  stop trusting an issuer',
    run: async (inv) => {
      const client = staff(inv)
      const org = await myOrganisation(client)
      const issuer = need(inv, 'issuer', 'the issuer DID')
      const t = str(inv, 'type')
      const r = await call(
        client,
        'DELETE',
        `/v1/organisations/${org.id}/trust/${encodeURIComponent(issuer)}${t ? `?type=${encodeURIComponent(t)}` : ''}`,
      )
      return out(inv, r, () => process.stdout.write('trust list updated\n'))
    },
  },
}
