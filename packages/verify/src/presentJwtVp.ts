import { type JwsAlgorithm, randomBytes, type Signer, signJwt, toHex } from '@clavis/crypto'
import { MAX_PRESENTATION_AGE_SECONDS } from './checkNonceAudience'
import { VC_CONTEXT_V1, VC_CONTEXT_V2 } from './decodeJwtCredential'

/**
 * Makes a JWT VP of JWT-VCs for one verifier request: signed by the holder's DID key, with the
 * verifier's nonce, its exact audience, and a short expiry. Runs in the browser (wallet) and in
 * Node. `format` is the credentials' form: `jwt_vp` (default) is a VC 1.1 JWT VP (`vp` claim) of
 * VC 1.1 JWT-VCs; `vp+jwt` is a VC 2.0 presentation secured with VC-JOSE-COSE, whose claims set is
 * the presentation, each `vc+jwt` credential inside an EnvelopedVerifiableCredential
 * (`data:application/vc+jwt,…`).
 *
 * @example
 * const vp = await presentJwtVp({ credentials: [licenceJwt], holder: did, kid: `${did}#controllerKey`, signer, nonce, audience: hospitalDid })
 */
export async function presentJwtVp(options: {
  credentials: readonly string[]
  holder: string
  kid: string
  signer: Signer
  alg?: JwsAlgorithm
  format?: 'jwt_vp' | 'vp+jwt'
  nonce: string
  audience: string
  now?: Date
  validForSeconds?: number
}): Promise<string> {
  const alg = options.alg ?? 'ES256K'
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000)
  const exp = iat + Math.min(options.validForSeconds ?? 120, MAX_PRESENTATION_AGE_SECONDS)
  if (options.format === 'vp+jwt') {
    // VC-JOSE-COSE: iat and exp bound the signature; nbf is NOT RECOMMENDED, vc/vp MUST NOT appear.
    return signJwt({
      header: { alg, typ: 'vp+jwt', kid: options.kid },
      payload: {
        '@context': [VC_CONTEXT_V2],
        type: ['VerifiablePresentation'],
        holder: options.holder,
        verifiableCredential: options.credentials.map((jwt) => ({
          '@context': VC_CONTEXT_V2,
          id: `data:application/vc+jwt,${jwt}`,
          type: 'EnvelopedVerifiableCredential',
        })),
        aud: options.audience,
        nonce: options.nonce,
        iat,
        exp,
      },
      signer: options.signer,
    })
  }
  const payload = {
    iss: options.holder,
    aud: options.audience,
    nonce: options.nonce,
    iat,
    nbf: iat,
    exp,
    jti: `urn:uuid:${toHex(randomBytes(16))}`,
    vp: {
      '@context': [VC_CONTEXT_V1],
      type: ['VerifiablePresentation'],
      verifiableCredential: [...options.credentials],
    },
  }
  return signJwt({ header: { alg, typ: 'JWT', kid: options.kid }, payload, signer: options.signer })
}
