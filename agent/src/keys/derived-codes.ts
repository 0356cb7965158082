import { createHmac } from 'node:crypto'

/** A value derived from the agent's secret for a purpose and an id (base64url, 32 bytes). */
export type DeriveCode = (purpose: string, id: string) => string

/**
 * Codes the agent can recompute but that are stored nowhere: HMAC-SHA256 under a key derived from
 * the key-store secret for each purpose. E.g. an offer's pre-authorized code, kept only as a hash
 * in the database and served again with the offer by reference. Agents on one database share the
 * secret (they must, for the key store), so they derive the same codes.
 *
 * @example
 * const derive = createCodeDeriver(secretKeyHex)
 * derive('oid4vci/pre-authorized-code', offerId) // 'q3…' (43 characters)
 */
export function createCodeDeriver(secretKeyHex: string): DeriveCode {
  const secret = Buffer.from(secretKeyHex, 'hex')
  const keys = new Map<string, Buffer>()
  return (purpose, id) => {
    let key = keys.get(purpose)
    if (!key) {
      key = createHmac('sha256', secret).update(`clavis derived key: ${purpose}`).digest()
      keys.set(purpose, key)
    }
    return createHmac('sha256', key).update(id, 'utf8').digest('base64url')
  }
}
