import { jwkOfDidJwk, parseDidEthr } from '@clavis/did'
import { ClavisError } from '@clavis/errors'

/**
 * A subject DID that verifiers of this agent's credentials can resolve: a did:ethr on this agent's
 * chain (an address or a compressed public key), or a did:jwk of a P-256 or secp256k1 signing key
 * (a wallet's key as its own DID). Anything else would be a credential nobody can check the holder of.
 */
export function checkSubjectResolvable(subject: string, chainId: number): void {
  if (subject.startsWith('did:jwk:')) {
    if (jwkOfDidJwk(subject)) return
    throw new ClavisError({
      code: 'invalid_request',
      message: 'subject is a did:jwk that names no P-256 or secp256k1 public signing key.',
      issues: [{ path: 'subject', code: 'unresolvable_did', message: 'not a usable did:jwk' }],
    })
  }
  const parsed = parseDidEthr(subject)
  const hex = `0x${chainId.toString(16)}`
  if (parsed?.chainId === chainId) return
  throw new ClavisError({
    code: 'invalid_request',
    message: parsed
      ? `subject ${subject} is on another chain; this agent's credentials are for did:ethr:${hex}:… holders.`
      : `subject must be a did:ethr on this agent's chain (did:ethr:${hex}:0x + 40 hex digits of an address, or 66 of a compressed public key; make one with clavis keygen) or a did:jwk.`,
    issues: [{ path: 'subject', code: 'unresolvable_did', message: `not a did:ethr:${hex} DID` }],
  })
}
