import { base64urlEncode, base64urlJson, sha256, utf8 } from '@clavis/crypto'
import type { HolderKey } from './types'

/**
 * A DPoP proof (RFC 9449 §4) signed by the holder's key: how a wallet shows that a request comes
 * from the holder of its DID — to take and use a DPoP-bound access token (`accessToken` adds its
 * `ath`), to read its inbox or its access report. `htu` is `url` without query or fragment.
 *
 * @example
 * const proof = await dpopProof(key, 'GET', 'https://hospital.example/fhir/Observation', token)
 */
export async function dpopProof(
  key: HolderKey,
  method: string,
  url: string,
  accessToken?: string,
): Promise<string> {
  const u = new URL(url)
  const header = { typ: 'dpop+jwt', alg: key.alg, jwk: key.jwk }
  const payload = {
    htm: method,
    htu: `${u.origin}${u.pathname}`,
    iat: Math.floor(Date.now() / 1000),
    jti: crypto.randomUUID(),
    ...(accessToken ? { ath: base64urlEncode(sha256(utf8(accessToken))) } : {}),
  }
  const input = `${base64urlJson(header)}.${base64urlJson(payload)}`
  return `${input}.${await key.sign(input)}`
}
