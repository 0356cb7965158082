import { parseBase64urlJson } from '@clavis/crypto'
import { ClavisError } from '@clavis/errors'
import { Oauth2AuthorizationServer } from '@openid4vc/oauth2'
import type { AgentContext } from '../../context'
import { createIssuerLibrary } from '../oid4vci/library'

/** How far a proof's `iat` may be from now (RFC 9449 §11.1: a short window, with jti kept that long). */
const PROOF_WINDOW_S = 60
/** Signature algorithms of DPoP proofs: the wallets' secp256k1 keys, and P-256. */
const DPOP_ALGS = ['ES256K', 'ES256']

export const dpopRefused = (message: string) => new ClavisError({ code: 'invalid_dpop_proof', message })

/**
 * DPoP (RFC 9449) proofs of possession of the presenter's key: `verifyDpop` checks a request's
 * `DPoP` header with `@openid4vc/oauth2` (typ, alg, htm, htu, `ath` of the token, signature by
 * the `jwk` it carries, its thumbprint the one the token is bound to), and adds what the library
 * leaves to its caller: `iat` within a minute, and each `jti` used once (kept in memory for the
 * window: a proof replayed to another agent process sharing the database is not caught).
 */
export function createDpopVerifier(ctx: AgentContext) {
  const server = new Oauth2AuthorizationServer({
    callbacks: createIssuerLibrary({ resolver: ctx.resolver }).callbacks,
  })
  const seen = new Map<string, number>()
  const sweep = (now: number) => {
    for (const [jti, until] of seen) if (until < now) seen.delete(jti)
  }
  return async function verifyDpop(o: {
    proof: string | undefined
    method: string
    /** The public URL of the request, without query or fragment. */
    url: string
    accessToken?: string
    expectedJkt?: string
  }): Promise<{ jkt: string }> {
    if (!o.proof)
      throw dpopRefused('Send a DPoP proof signed by your wallet key in the DPoP header (RFC 9449).')
    let verified: Awaited<ReturnType<typeof server.verifyDpopJwt>>
    try {
      verified = await server.verifyDpopJwt({
        dpopJwt: o.proof,
        request: { method: o.method as 'GET', url: sameUrlAsSigned(o.url, o.proof), headers: new Headers() },
        allowedSigningAlgs: DPOP_ALGS,
        ...(o.accessToken ? { accessToken: o.accessToken } : {}),
        ...(o.expectedJkt ? { expectedJwkThumbprint: o.expectedJkt } : {}),
      })
    } catch (e) {
      const detail = (e as { errorResponse?: { error_description?: string } }).errorResponse
        ?.error_description
      throw dpopRefused(
        `The DPoP proof is not valid for this request${detail ? `: ${detail.slice(0, 200)}` : ''}. Sign a fresh proof for this method and URL with the key the token is bound to.`,
      )
    }
    const now = Math.floor(Date.now() / 1000)
    const { iat, jti } = verified.payload
    if (Math.abs(now - iat) > PROOF_WINDOW_S)
      throw dpopRefused('The DPoP proof’s iat must be within a minute of now: sign a fresh proof.')
    sweep(now)
    if (seen.has(jti))
      throw dpopRefused('This DPoP proof was used already: sign a fresh one for each request.')
    seen.set(jti, now + PROOF_WINDOW_S * 2)
    return { jkt: verified.jwkThumbprint }
  }
}

export type DpopVerifier = ReturnType<typeof createDpopVerifier>

const verifiers = new WeakMap<AgentContext, DpopVerifier>()

/** The agent's one DPoP verifier: every route checks proofs against the same used-`jti` memory. */
export function dpopVerifierOf(ctx: AgentContext): DpopVerifier {
  let v = verifiers.get(ctx)
  if (!v) {
    v = createDpopVerifier(ctx)
    verifiers.set(ctx, v)
  }
  return v
}

/**
 * The request's URL written as the proof's `htu` writes it, when the two name the same resource
 * and differ only in percent-encoding (a DID in a path is sent as `did:ethr:…` by some clients and
 * `did%3Aethr%3A…` by others); otherwise the URL as it is (and the library refuses the proof).
 */
function sameUrlAsSigned(url: string, proof: string): string {
  try {
    const htu = (parseBase64urlJson(proof.split('.')[1] ?? '') as { htu?: unknown } | undefined)?.htu
    if (typeof htu !== 'string') return url
    const a = new URL(url)
    const b = new URL(htu)
    const same = a.origin === b.origin && decodeURIComponent(a.pathname) === decodeURIComponent(b.pathname)
    return same ? `${b.origin}${b.pathname}` : url
  } catch {
    return url
  }
}
