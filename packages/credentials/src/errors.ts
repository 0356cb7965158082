import { ClavisError } from '@clavis/errors'
import type { ClaimIssue } from './claim-issue'

/** Thrown by `buildCredential` when claims, validity period or DIDs are bad; `issues` names each bad field. */
export class CredentialClaimsError extends ClavisError<'invalid_claims'> {
  override readonly name = 'CredentialClaimsError'
  override readonly issues: ClaimIssue[]

  constructor(issues: ClaimIssue[]) {
    const first = issues[0]
    super({
      code: 'invalid_claims',
      message: first
        ? `Bad credential field "${first.path}" (${first.code}): ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`
        : 'The credential is not valid.',
      issues,
    })
    this.issues = issues
  }
}
