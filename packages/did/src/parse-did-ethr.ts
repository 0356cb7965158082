/** The parts of a did:ethr. */
export interface DidEthr {
  did: string
  /** Network as written in the DID: a name (`sepolia`), a hex chain id (`0x7a69`), or undefined (mainnet). */
  network: string | undefined
  /** The chain id when the network part is a hex chain id. */
  chainId: number | undefined
  /** The identifier: an Ethereum address or a compressed secp256k1 public key, lower case. */
  identifier: `0x${string}`
  /** The Ethereum address the identifier stands for, when it is an address. */
  kind: 'address' | 'publicKey'
}

const DID_ETHR =
  /^did:ethr:(?:([a-zA-Z0-9_-]+(?::[a-zA-Z0-9_-]+)?|0x[0-9a-fA-F]+):)?(0x[0-9a-fA-F]{40}|0x0[23][0-9a-fA-F]{64})$/

/**
 * Parses a did:ethr (no path, query or fragment). Returns undefined when it is not one.
 *
 * @example
 * parseDidEthr('did:ethr:0x7a69:0x03…')?.chainId // 31337
 */
export function parseDidEthr(did: string): DidEthr | undefined {
  if (did.length > 200) return undefined
  const m = DID_ETHR.exec(did)
  if (!m) return undefined
  const network = m[1]
  const identifier = m[2]!.toLowerCase() as `0x${string}`
  const chainId = network?.startsWith('0x')
    ? Number.parseInt(network, 16)
    : network === undefined
      ? 1
      : undefined
  return { did, network, chainId, identifier, kind: identifier.length === 42 ? 'address' : 'publicKey' }
}
