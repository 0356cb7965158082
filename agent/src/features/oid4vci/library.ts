import {
  type JwsAlgorithm,
  jwkToPublicKey,
  publicKeyToJwk,
  randomBytes,
  sha256,
  verifySignature,
} from '@clavis/crypto'
import { ClavisError } from '@clavis/errors'
import { verifyByDidUrl } from '@clavis/verify'
import { type CallbackContext, clientAuthenticationAnonymous, type Jwk } from '@openid4vc/oauth2'
import { Openid4vciIssuer } from '@openid4vc/openid4vci'
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
  const key = await verifyByDidUrl({ ...options, purposes: ['authentication'] })
  if (!key?.publicKey) return undefined
  return {
    did: options.didUrl.split('#')[0]!,
    kid: key.id,
    alg: key.alg,
    jwk: publicKeyToJwk({ alg: key.alg, publicKey: key.publicKey }) as Jwk,
  }
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
 * `signJwt` refuses. (`http:` URLs: see `allowHttpOnLoopback` in the composition root.)
 *
 * @example
 * const { issuer } = createIssuerLibrary({ resolver: ctx.resolver })
 */
export function createIssuerLibrary(options: { resolver: { forVerification(): Resolvable } }) {
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
