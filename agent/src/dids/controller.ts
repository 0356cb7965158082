import { ClavisError } from '@clavis/api'
import type { IIdentifier, IKey } from '@veramo/core-types'
import { SigningKey } from 'ethers'
import { fundAddress } from '../chain/fund'
import type { AgentContext } from '../context'
import type { OrganisationRow } from '../db/entities'
import { addressOfPublicKey, getOrganisation } from '../orgs/organisations'

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
