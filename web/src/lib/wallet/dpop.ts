/**
 * DPoP proofs (RFC 9449) signed by the wallet's key: how the wallet shows a hospital that a request
 * comes from the holder of its DID — to take and use a record-access token, to read its grant inbox,
 * to read its access report. `htu` is the URL as the agent knows it (its public URL), even when the
 * request goes through this web app's `/agent/…` pass-through.
 */
import { base64urlEncode, base64urlJson, sha256, utf8 } from '@clavis/crypto'
import type { HolderKey } from '@clavis/holder'

export async function dpopProof(
  key: HolderKey,
  method: string,
  url: string,
  accessToken?: string,
): Promise<string> {
  const header = { typ: 'dpop+jwt', alg: key.alg, jwk: key.jwk }
  const u = new URL(url)
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
