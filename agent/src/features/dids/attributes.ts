// The registry attributes this agent writes for organisations' DIDs (names, encodings, validity).

/** The registry attribute under which Veramo's ethr provider publishes a secp256k1 signing key. */
export const KEY_ATTRIBUTE = 'did/pub/Secp256k1/veriKey/hex'

/** The registry value of a key attribute: the public key as 0x-hex, lower case. */
export const attributeValue = (publicKeyHex: string) => `0x${publicKeyHex.replace(/^0x/, '')}`.toLowerCase()

/** Service endpoints and keys without a stated validity stay for ten years. */
export const LONG_VALIDITY_SECONDS = 10 * 365 * 24 * 3600
