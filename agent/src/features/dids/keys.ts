import type { AgentContext } from '../../context'
import { getOrganisation } from '../organisations/organisations'
import { activeAssertionKey } from './assertion-keys'
import { identifierAndController, normalisePublicKey } from './controller'

/**
 * The organisation's keys in the key store: the controller (manages the DID), the assertion key
 * (signs credentials and status lists) and delegate signing keys.
 */
export async function listKeys(
  ctx: AgentContext,
  organisationId: string,
): Promise<{ kid: string; publicKeyHex: string; role: 'controller' | 'assertion' | 'delegate' }[]> {
  const org = await getOrganisation(ctx, organisationId)
  if (org.status === 'deactivated') return []
  const { identifier } = await identifierAndController(ctx, org.did)
  const assertion = (await activeAssertionKey(ctx.db, org.id))?.keyId
  return identifier.keys.map((k) => ({
    kid: k.kid,
    publicKeyHex: normalisePublicKey(k.publicKeyHex) ?? k.publicKeyHex,
    role:
      k.kid === identifier.controllerKeyId ? 'controller' : k.kid === assertion ? 'assertion' : 'delegate',
  }))
}
