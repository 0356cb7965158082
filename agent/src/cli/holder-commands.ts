import { presentSdJwtVc } from '@clavis/sd-jwt'
import { presentJwtVp } from '@clavis/verify'
import { CliError, call } from './client'
import { type Invocation, myOrganisation, need, out, publicClient, readInput, staff, str } from './commands'
import { printFields, printJson, printVerification } from './format'
import { holderKeyOf, writeNewHolderKey } from './holder-keys'

type Command = (inv: Invocation) => Promise<number>

async function chainId(inv: Invocation): Promise<number> {
  const h = await call<{ chain: { chainId: number } }>(publicClient(inv), 'GET', '/v1/health')
  return h.chain.chainId
}

function readKey(inv: Invocation, id: number) {
  const file = need(inv, 'key', 'the holder key file (clavis keygen --out FILE)')
  let jwk: unknown
  try {
    jwk = JSON.parse(readInput(file))
  } catch (e) {
    if (e instanceof CliError) throw e
    throw new CliError(`${file} is not a JSON key file.`, 'usage', 2)
  }
  return holderKeyOf({ jwk, chainId: id })
}

/** Holder-side commands (keys stay on this machine) and the verifier's presentation flow. */
export const HOLDER_COMMANDS: Record<string, { usage: string; run: Command }> = {
  keygen: {
    usage:
      'keygen --out FILE [--alg ES256K|ES256]     a holder key (private JWK, mode 0600) and its did:ethr',
    run: async (inv) => {
      const alg = str(inv, 'alg') ?? 'ES256K'
      if (alg !== 'ES256K' && alg !== 'ES256') throw new CliError('--alg is ES256K or ES256.', 'usage', 2)
      const path = need(inv, 'out', 'where to write the private key (the file must not exist)')
      let key: ReturnType<typeof writeNewHolderKey>
      try {
        key = writeNewHolderKey({ alg, path, chainId: await chainId(inv) })
      } catch (e) {
        if (e instanceof CliError) throw e
        throw new CliError(`Cannot write ${path}: ${(e as Error).message}`, 'usage', 2)
      }
      return out(inv, { did: key.did ?? null, jwk: key.jwk }, () => {
        printFields([
          ['did', key.did ?? '(ES256 keys have no did:ethr)'],
          ['key file', path],
        ])
        printJson(key.jwk)
      })
    },
  },
  present: {
    usage:
      'present --credential FILE --key FILE --nonce N --audience DID [--disclose a,b]   JWT VP, or SD-JWT VC with key binding',
    run: async (inv) => {
      const credential = readInput(
        need(inv, 'credential', 'the credential file (JWT-VC or SD-JWT VC)'),
      ).trim()
      if (!credential) throw new CliError('The credential file is empty.', 'usage', 2)
      const key = readKey(inv, await chainId(inv))
      const nonce = need(inv, 'nonce', "the verifier's nonce (clavis request-presentation)")
      const audience = need(inv, 'audience', "the verifier's DID")
      let presentation: string
      try {
        if (credential.includes('~')) {
          const disclose = (str(inv, 'disclose') ?? '').split(',').filter(Boolean)
          presentation = await presentSdJwtVc({
            credential,
            disclose,
            keyBinding: { alg: key.alg, signer: key.signer, nonce, audience },
          })
        } else {
          if (!key.did)
            throw new CliError('A JWT VP needs an ES256K key (its did:ethr is the holder).', 'usage', 2)
          presentation = await presentJwtVp({
            credentials: [credential],
            holder: key.did,
            kid: `${key.did}#controllerKey`,
            signer: key.signer,
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
      return out(inv, { presentation }, () => process.stdout.write(`${presentation}\n`))
    },
  },
  'request-presentation': {
    usage:
      'request-presentation [--ttl SECONDS]     (verifier staff) a single-use nonce and the audience to present to, and the secret to verify with',
    run: async (inv) => {
      const client = staff(inv)
      const org = await myOrganisation(client)
      const ttl = str(inv, 'ttl')
      if (ttl !== undefined && !/^\d{1,4}$/.test(ttl)) {
        throw new CliError('--ttl is a whole number of seconds (30 to 600).', 'usage', 2)
      }
      const r = await call<{ nonce: string; audience: string; expiresAt: string; requestSecret: string }>(
        client,
        'POST',
        `/v1/organisations/${org.id}/presentation-requests`,
        ttl === undefined ? {} : { ttlSeconds: Number(ttl) },
      )
      return out(inv, r, () =>
        printFields([
          ['nonce', r.nonce],
          ['audience', r.audience],
          ['expires', r.expiresAt],
          ['secret', `${r.requestSecret}   (keep it: verify-presentation needs it; the holder never does)`],
        ]),
      )
    },
  },
  'verify-presentation': {
    usage:
      'verify-presentation [FILE|-] --verifier ORG_ID --nonce N --request-secret S   exit 1 when not valid',
    run: async (inv) => {
      const presentation = readInput(inv.args[0]).trim()
      if (!presentation)
        throw new CliError('Nothing to verify: give a file or pipe the presentation on stdin.', 'usage', 2)
      const r = await call<{
        valid: boolean
        checks: Record<string, { passed: boolean; code?: string; reason?: string }>
        credentials: {
          valid: boolean
          type?: string
          issuer?: string
          checks: Record<string, { passed: boolean; code?: string; reason?: string }>
        }[]
        disclosed?: Record<string, unknown>
      }>(publicClient(inv), 'POST', '/v1/verify/presentation', {
        presentation,
        verifier: need(inv, 'verifier', 'the id of the verifying organisation'),
        nonce: need(inv, 'nonce', 'the nonce of the presentation request'),
        requestSecret: need(inv, 'request-secret', 'the secret request-presentation printed with the nonce'),
      })
      out(inv, r, () => {
        process.stdout.write(`${r.valid ? 'VALID' : 'NOT VALID'} presentation\n`)
        for (const [name, check] of Object.entries(r.checks)) {
          process.stdout.write(
            `  ${check.passed ? 'ok  ' : 'FAIL'} ${name}${check.passed ? '' : `  ${check.code}: ${check.reason}`}\n`,
          )
        }
        for (const c of r.credentials) printVerification(c)
        if (r.disclosed) printJson(r.disclosed)
      })
      return r.valid ? 0 : 1
    },
  },
  status: {
    usage:
      "status revoke|suspend|reinstate CREDENTIAL_ID   change a credential's status (revocation is final)",
    run: async (inv) => {
      const [action, id] = inv.args
      if (!action || !['revoke', 'suspend', 'reinstate'].includes(action) || !id) {
        throw new CliError('Use: clavis status revoke|suspend|reinstate <credential id>.', 'usage', 2)
      }
      const client = staff(inv)
      const org = await myOrganisation(client)
      const r = await call<{ status: string; lists: string[] }>(
        client,
        'POST',
        `/v1/organisations/${org.id}/credentials/${encodeURIComponent(id)}/status`,
        { action },
      )
      return out(inv, r, () =>
        process.stdout.write(`${id} is now ${r.status}; published ${r.lists.join(', ')}\n`),
      )
    },
  },
}
