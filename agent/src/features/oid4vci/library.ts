import {
  ALLOWED_JWS_ALGORITHMS,
  type JwsAlgorithm,
  jwkToPublicKey,
  publicKeyToJwk,
  randomBytes,
  sha256,
  verifySignature,
} from '@clavis/crypto'
import { ClavisError } from '@clavis/errors'
import { assertionKeys, resolveIssuer, verifyWithDocumentKeys } from '@clavis/verify'
import { type CallbackContext, clientAuthenticationAnonymous, type Jwk } from '@openid4vc/oauth2'
import { Openid4vciIssuer } from '@openid4vc/openid4vci'
import { setGlobalConfig } from '@openid4vc/utils'
import type { Resolvable } from 'did-resolver'

/** A holder key proven by an `openid4vci-proof+jwt`: its DID, the DID URL that named it, the key. */
export interface ProvenHolderKey {
  did: string
  kid: string
  alg: JwsAlgorithm
  jwk: Jwk
}

/**
 * Verifies a JWT signed by a DID's key (the `kid` a DID URL): the key must be an `authentication`
 * key of the DID's current document. Undefined when it is not; never throws for bad input.
 */
export async function verifyDidSignedJwt(options: {
  compact: string
  didUrl: string
  alg: string
  resolver: Resolvable
}): Promise<ProvenHolderKey | undefined> {
  const { compact, didUrl, resolver } = options
  const alg = ALLOWED_JWS_ALGORITHMS.find((a) => a === options.alg)
  const did = didUrl.split('#')[0]!
  const [header, payload, signature] = compact.split('.')
  if (!alg || !did.startsWith('did:') || signature === undefined) return undefined
  const resolved = await resolveIssuer({ did, resolver })
  if (!resolved.ok) return undefined
  const keys = assertionKeys({ document: resolved.value, alg, kid: didUrl, purpose: 'authentication' })
  const key = verifyWithDocumentKeys({ keys, alg, data: `${header}.${payload}`, signature })
  if (!key || key.id !== didUrl || !key.publicKey) return undefined
  return { did, kid: didUrl, alg, jwk: publicKeyToJwk({ alg, publicKey: key.publicKey }) as Jwk }
}

const refuse = (what: string) => () => {
  throw new ClavisError({
    code: 'internal',
    message: `The issuer library was asked to ${what}: it never should.`,
  })
}

/**
 * The OpenID4VCI issuer helpers of `@openid4vc/openid4vci` with Clavis's crypto: SHA-256 and random
 * bytes from `@clavis/crypto`, JWTs (the wallet's proofs) verified against the holder DID's
 * current document through the agent's resolver (did:ethr, did:jwk), or against the bare `jwk` in
 * their header. The library signs nothing for us (access tokens are opaque), so
 * `signJwt` refuses. `http:` URLs are allowed only when the agent's public URL is one (the
 * embedded default on loopback) — the library's switch is process-wide.
 *
 * @example
 * const { issuer } = createIssuerLibrary({ resolver: ctx.resolver, publicUrl: ctx.publicUrl })
 */
export function createIssuerLibrary(options: {
  resolver: { forVerification(): Resolvable }
  publicUrl: string
}) {
  if (options.publicUrl.startsWith('http:')) setGlobalConfig({ allowInsecureUrls: true })
  const callbacks: CallbackContext = {
    hash: (data) => sha256(data),
    generateRandom: (length) => randomBytes(length),
    clientAuthentication: clientAuthenticationAnonymous(),
    signJwt: refuse('sign'),
    encryptJwe: refuse('encrypt'),
    decryptJwe: refuse('decrypt'),
    verifyJwt: async (signer, jwt) => {
      if (signer.method === 'jwk') {
        // A bare key (a wallet without a DID): its did:jwk becomes the subject.
        const key = jwkToPublicKey(signer.publicJwk)
        const [header, payload, signature] = jwt.compact.split('.')
        if (!key || key.alg !== signer.alg || signature === undefined) return { verified: false }
        const verified = verifySignature({
          alg: key.alg,
          publicKey: key.publicKey,
          data: `${header}.${payload}`,
          signature,
        })
        return verified ? { verified: true, signerJwk: signer.publicJwk } : { verified: false }
      }
      if (signer.method !== 'did') return { verified: false }
      const key = await verifyDidSignedJwt({
        compact: jwt.compact,
        didUrl: signer.didUrl,
        alg: signer.alg,
        resolver: options.resolver.forVerification(),
      })
      return key ? { verified: true, signerJwk: key.jwk } : { verified: false }
    },
  }
  return { issuer: new Openid4vciIssuer({ callbacks }), callbacks }
}
