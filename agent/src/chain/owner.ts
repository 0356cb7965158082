import { Contract } from 'ethers'
import type { Chain } from './connect'
import { identityAddressOf } from './did-entries'
import { registryArtifact } from './registry'

/** The zero address: the owner of a deactivated did:ethr. */
export const NULL_ADDRESS = '0x0000000000000000000000000000000000000000'

/**
 * The current owner (controller address, lower case) of a did:ethr in the registry: the identity
 * itself until its first change of owner. After a deactivation the registry answers the identity
 * again; `readValidEntries(…).lastOwnerChange` tells a deactivated DID apart.
 *
 * @example
 * if ((await identityOwner(ctx.chain, did)) !== signer.address.toLowerCase()) refuse()
 */
export async function identityOwner(
  chain: Pick<Chain, 'provider' | 'registry'>,
  did: string,
): Promise<string> {
  const contract = new Contract(chain.registry, registryArtifact().abi as never, chain.provider)
  const owner = (await contract.getFunction('identityOwner')(identityAddressOf(did))) as string
  return owner.toLowerCase()
}
