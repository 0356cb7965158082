import type { AgentContext } from '../../context'
import { getOrganisation } from '../organisations/organisations'
import { identifierAndController, normalisePublicKey } from './controller'

/** The organisation's keys in the key store: the controller and delegate signing keys. */
export async function listKeys(
  ctx: AgentContext,
  organisationId: string,
): Promise<{ kid: string; publicKeyHex: string; role: 'controller' | 'delegate' }[]> {
  const org = await getOrganisation(ctx, organisationId)
  if (org.status === 'deactivated') return []
  const { identifier } = await identifierAndController(ctx, org.did)
  return identifier.keys.map((k) => ({
    kid: k.kid,
    publicKeyHex: normalisePublicKey(k.publicKeyHex) ?? k.publicKeyHex,
    role: k.kid === identifier.controllerKeyId ? 'controller' : 'delegate',
  }))
}
