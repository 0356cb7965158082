import { type JwsAlgorithm, randomBytes, type Signer, signJwt, toHex } from '@clavis/crypto'
import { MAX_PRESENTATION_AGE_SECONDS } from './checkNonceAudience'

/**
 * Makes a JWT VP of JWT-VCs for one verifier request: signed by the holder's DID key, with the
 * verifier's nonce, its exact audience, and a short expiry. Runs in the browser (wallet) and in Node.
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
  nonce: string
  audience: string
  now?: Date
  validForSeconds?: number
}): Promise<string> {
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000)
  const header = { alg: options.alg ?? 'ES256K', typ: 'JWT', kid: options.kid }
  const payload = {
    iss: options.holder,
    aud: options.audience,
    nonce: options.nonce,
    iat,
    nbf: iat,
    exp: iat + Math.min(options.validForSeconds ?? 120, MAX_PRESENTATION_AGE_SECONDS),
    jti: `urn:uuid:${toHex(randomBytes(16))}`,
    vp: {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiablePresentation'],
      verifiableCredential: [...options.credentials],
    },
  }
  return signJwt({ header, payload, signer: options.signer })
}
