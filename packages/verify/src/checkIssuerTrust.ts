import type { CredentialType } from '@clavis/credentials'
import { fail, ok } from '@clavis/crypto'
import type { TrustPolicy } from './trustListPolicy'
import type { CheckOutcome } from './types'

/**
 * Asks the trust policy whether `issuer` may issue `type`. Anything but a literal `true`, including
 * a policy that throws, gives `untrusted_issuer` with the issuer and type in the reason. Without a
 * recognised type the policy cannot be asked, which also fails. Never throws.
 *
 * @example
 * checkIssuerTrust({ issuer: 'did:ethr:0x…', type: 'ClinicianLicenseCredential', trust })
 */
export function checkIssuerTrust(options: {
  issuer: string
  type: CredentialType | undefined
  trust: TrustPolicy
}): CheckOutcome {
  const { issuer, type, trust } = options
  if (type === undefined) {
    return fail(
      'untrusted_issuer',
      `Trust in ${issuer} cannot be decided: the credential has no single recognised credential type.`,
    )
  }
  let trusted = false
  let problem = ''
  try {
    trusted = trust.isTrusted({ issuer, type }) === true
  } catch (error) {
    problem = ` (the trust policy failed: ${error instanceof Error ? error.message : String(error)})`
  }
  if (trusted) return ok()
  return fail('untrusted_issuer', `${issuer} is not a trusted issuer of ${type}${problem}.`)
}
