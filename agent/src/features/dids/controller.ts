import { ClavisError } from '@clavis/errors'
import type { IIdentifier, IKey } from '@veramo/core-types'
import { Key, PrivateKey } from '@veramo/data-store'
import { SigningKey } from 'ethers'
import type { EthrDID } from 'ethr-did'
import { fundAddress } from '../../chain/fund'
import type { AgentContext } from '../../context'
import type { OrganisationRow } from '../organisations/entities'
import { addressOfPublicKey, getOrganisation } from '../organisations/organisations'
import { ethrDidFor } from './ethr-controller'

/** An organisation whose DID can still change; `did_deactivated` (409) otherwise. */
export async function activeOrganisation(
  ctx: AgentContext,
  organisationId: string,
): Promise<OrganisationRow> {
  const org = await getOrganisation(ctx, organisationId)
  if (org.status === 'deactivated') {
    throw new ClavisError({
      code: 'did_deactivated',
      message: `The DID of organisation ${org.id} is deactivated; it can no longer change or sign. Create a new organisation.`,
    })
  }
  return org
}

/** The DID's Veramo identifier and its controller key. */
export async function identifierAndController(
  ctx: AgentContext,
  did: string,
): Promise<{ identifier: IIdentifier; controller: IKey }> {
  const identifier = await ctx.veramo.didManagerGet({ did })
  const controller = identifier.keys.find((k) => k.kid === identifier.controllerKeyId)
  if (!controller) throw new Error(`identifier ${did} has no controller key in the key store`)
  return { identifier, controller }
}

/** A key in the key store, or undefined when it is not (any more) there. */
export async function keyInStore(ctx: AgentContext, kid: string): Promise<IKey | undefined> {
  try {
    return await ctx.veramo.keyManagerGet({ kid })
  } catch {
    return undefined
  }
}

/**
 * Deletes a key from the key store — its private key and its public record — in one transaction,
 * and does nothing for a key that is gone. (Veramo's `keyManagerDelete` deletes the private key
 * first and the record after: a crash between the two left a record whose deletion then failed
 * for ever, blocking the operation that owned it.)
 *
 * @example
 * await deleteKey(ctx, oldKid)
 */
export async function deleteKey(ctx: AgentContext, kid: string): Promise<void> {
  await ctx.db.transaction(async (m) => {
    await m.getRepository(PrivateKey).delete({ alias: kid })
    await m.getRepository(Key).delete({ kid })
  })
}

/** A secp256k1 public key (hex, compressed or not, optional 0x) in compressed form; undefined if not one. */
export function normalisePublicKey(hex: string): string | undefined {
  try {
    return SigningKey.computePublicKey(`0x${hex.replace(/^0x/, '')}`, true).toLowerCase()
  } catch {
    return undefined
  }
}

/** Lower-case Ethereum address of a secp256k1 public key. */
export const addressOf = (publicKeyHex: string): string => addressOfPublicKey(publicKeyHex).toLowerCase()

/** Gas for an address from the funder account, when one is configured and the balance is low. */
export async function fundIfNeeded(ctx: AgentContext, address: string): Promise<void> {
  const funderKey = ctx.chain.funderKey
  if (!funderKey) return
  await fundAddress({ provider: ctx.chain.provider, funderKey, address })
}

/**
 * A chain write signed by `key` for the DID (`identifier`): the key's account gets gas first when
 * it runs low (a funder is configured), then the write runs alone and returns once durable.
 *
 * @example
 * const txHash = await writeAs(ctx, identifier, controller, (did) => did.setAttribute(name, value, ttl))
 */
export function writeAs<T>(
  ctx: AgentContext,
  identifier: IIdentifier,
  key: IKey,
  action: (did: EthrDID) => Promise<T>,
): Promise<T> {
  return ctx.chain.write(async () => {
    await fundIfNeeded(ctx, addressOf(key.publicKeyHex))
    return action(ethrDidFor(ctx, identifier, key))
  })
}
