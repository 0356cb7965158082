import { base64urlJson, type Signer } from '@clavis/crypto'

/** Signs a compact JWS over the JSON header and payload. */
export async function signJwt(options: {
  header: Record<string, unknown>
  payload: Record<string, unknown>
  signer: Signer
}): Promise<string> {
  const signingInput = `${base64urlJson(options.header)}.${base64urlJson(options.payload)}`
  return `${signingInput}.${await options.signer(signingInput)}`
}

/** Whole seconds since the epoch of a date. */
export function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000)
}
