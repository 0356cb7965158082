import type { IIdentifier, IKey } from '@veramo/core-types'
import { KmsEthereumSigner } from '@veramo/did-provider-ethr'
import { DelegateTypes, EthrDID } from 'ethr-did'

export { DelegateTypes }

import type { AgentContext } from '../../context'

/**
 * An `EthrDID` whose transactions are signed inside the agent's key store by `key`
 * (the private key never leaves the KMS).
 *
 * @example
 * const ethrDid = ethrDidFor(ctx, identifier, controllerKey)
 * await ethrDid.changeOwner(newAddress)
 */
export function ethrDidFor(ctx: AgentContext, identifier: IIdentifier, key: IKey): EthrDID {
  return new EthrDID({
    identifier: identifier.did,
    provider: ctx.chain.provider,
    chainNameOrId: ctx.chain.chainId,
    registry: ctx.chain.registry,
    txSigner: new KmsEthereumSigner(key, { agent: ctx.veramo } as never, ctx.chain.provider) as never,
  })
}
