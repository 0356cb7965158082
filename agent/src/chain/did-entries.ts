import { parseDidEthr } from '@clavis/did'
import {
  Contract,
  computeAddress,
  getBytes,
  Interface,
  type JsonRpcProvider,
  toUtf8String,
  Utf8ErrorFuncs,
  zeroPadValue,
} from 'ethers'
import { registryArtifact } from './registry'

/** A delegate the registry holds for a DID (`DIDDelegateChanged`), valid until `validTo`. */
export interface ChainDelegate {
  /** `veriKey` or `sigAuth`. */
  type: string
  /** Lower-case address. */
  address: string
  validTo: bigint
}

/** An attribute the registry holds for a DID (`DIDAttributeChanged`): a key, a service, … */
export interface ChainAttribute {
  /** e.g. `did/pub/Secp256k1/veriKey/hex`, `did/svc/LinkedDomains`. */
  name: string
  /** The value as 0x-hex bytes. */
  value: string
  validTo: bigint
}

/**
 * A bytes32 name as text, as ethr-did-resolver reads it: trailing zero bytes dropped, no terminator
 * required (a name of 32 bytes has none; ethers' strict decoder throws on it, which would let anyone
 * who can write an attribute block every later change of the DID).
 */
function bytes32ToText(value: unknown): string {
  return toUtf8String(getBytes(String(value)), Utf8ErrorFuncs.replace).replace(/\0+$/, '')
}

/** The identity address a did:ethr stands for (its address, or the address of its public key). */
export function identityAddressOf(did: string): string {
  const parsed = parseDidEthr(did)
  if (!parsed) throw new Error(`${did} is not a did:ethr`)
  return (parsed.kind === 'address' ? parsed.identifier : computeAddress(parsed.identifier)).toLowerCase()
}

/**
 * The delegates and attributes that are valid now for a did:ethr, and the owner its last change of
 * owner named (the zero address: deactivated; the registry's `identityOwner` cannot tell that from
 * "never changed"), read from the registry's events
 * (following its `changed` → `previousChange` chain, as ethr-did-resolver does, one block at a time).
 *
 * @example
 * const { delegates, attributes } = await readValidEntries({ provider, registry, did, now: new Date() })
 */
export async function readValidEntries(options: {
  provider: JsonRpcProvider
  registry: string
  did: string
  now: Date
}): Promise<{
  delegates: ChainDelegate[]
  attributes: ChainAttribute[]
  lastOwnerChange: string | undefined
}> {
  const { provider, registry } = options
  const abi = registryArtifact().abi as never
  const iface = new Interface(abi)
  const contract = new Contract(registry, abi, provider)
  const identity = identityAddressOf(options.did)
  const topic = zeroPadValue(identity, 32)
  type Parsed = { block: number; index: number; name: string; args: Record<string, unknown> }
  const events: Parsed[] = []
  let block = Number(await contract.getFunction('changed')(identity))
  while (block > 0) {
    const logs = await provider.getLogs({
      address: registry,
      fromBlock: block,
      toBlock: block,
      topics: [null, topic],
    })
    let previous = 0
    for (const log of logs) {
      const parsed = iface.parseLog(log)
      if (!parsed) continue
      events.push({ block, index: log.index, name: parsed.name, args: parsed.args.toObject() })
      const prev = Number(parsed.args.getValue('previousChange'))
      if (prev < block) previous = Math.max(previous, prev)
    }
    block = previous
  }
  events.sort((a, b) => a.block - b.block || a.index - b.index)
  const delegates = new Map<string, ChainDelegate>()
  const attributes = new Map<string, ChainAttribute>()
  let lastOwnerChange: string | undefined
  for (const e of events) {
    if (e.name === 'DIDOwnerChanged') lastOwnerChange = String(e.args.owner).toLowerCase()
    else if (e.name === 'DIDDelegateChanged') {
      const type = bytes32ToText(e.args.delegateType)
      const address = String(e.args.delegate).toLowerCase()
      delegates.set(`${type} ${address}`, { type, address, validTo: e.args.validTo as bigint })
    } else if (e.name === 'DIDAttributeChanged') {
      const name = bytes32ToText(e.args.name)
      const value = String(e.args.value).toLowerCase()
      attributes.set(`${name} ${value}`, { name, value, validTo: e.args.validTo as bigint })
    }
  }
  const now = BigInt(Math.floor(options.now.getTime() / 1000))
  return {
    delegates: [...delegates.values()].filter((d) => d.validTo > now),
    attributes: [...attributes.values()].filter((a) => a.validTo > now),
    lastOwnerChange,
  }
}
