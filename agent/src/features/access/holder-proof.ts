import { ClavisError } from '@clavis/errors'
import type { DpopVerifier } from './dpop'
import { jktOfDid } from './tokens'

/**
 * Proves that a request comes from the holder of `did`'s key: a DPoP proof (RFC 9449: this method
 * and URL, fresh, used once) signed by the key the DID shows (a did:ethr of a public key, or a
 * did:jwk). How patients read their access report and clinicians their inbox, with the wallet's
 * key and no account.
 */
export async function proveHolder(
  verifyDpop: DpopVerifier,
  o: { did: string; proof: string | undefined; method: string; url: string },
): Promise<void> {
  const jkt = await jktOfDid(o.did)
  if (!jkt)
    throw new ClavisError({
      code: 'invalid_did',
      message: 'This DID does not show its key (a did:ethr of an address); use the DID your wallet shows.',
    })
  await verifyDpop({ proof: o.proof, method: o.method, url: o.url, expectedJkt: jkt })
}
