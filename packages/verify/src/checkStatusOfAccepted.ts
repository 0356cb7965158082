import { notChecked } from './reportChecks'
import type { StatusChecker } from './statusChecker'
import type { CheckOutcome } from './types'

/**
 * Runs a credential's status check only for a credential already accepted on everything else
 * that does not need the network (its signature verified, its signer is its issuer, its issuer is
 * trusted for its type): its status list URLs are chosen by whoever made the credential, so they
 * are fetched for none other (docs/decisions/0014-outbound-fetches.md). Otherwise, or without a
 * status checker, the check is `not_checked` (not valid: verification fails closed). Never throws
 * unless the checker does.
 *
 * @example
 * await checkStatusOfAccepted({ accepted: signature.ok && trust.ok, status, check: (s) => s.checkToken(entry) })
 */
export async function checkStatusOfAccepted(options: {
  accepted: boolean
  status: StatusChecker | undefined
  check: (status: StatusChecker) => Promise<CheckOutcome>
}): Promise<CheckOutcome> {
  if (!options.status) return notChecked('No status checker was given, so revocation was not checked.')
  if (!options.accepted) {
    return notChecked(
      'Not checked: the status list is fetched only for a credential whose signature verified and whose issuer is trusted.',
    )
  }
  return options.check(options.status)
}
