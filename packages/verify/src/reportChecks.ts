import { fail } from '@clavis/crypto'
import type { CheckOutcome, CheckResult, VerificationFailure } from './types'

/**
 * The outcome of a check that could not run because an earlier step failed; `reason` says which.
 *
 * @example
 * notChecked('The presentation could not be decoded (see signature).')
 */
export function notChecked(reason: string): { ok: false; error: VerificationFailure } {
  return fail('not_checked', reason)
}

/**
 * Turns check outcomes into the envelope's reports: `{ passed: true }`, or the failure's code and
 * reason; `valid` only if every one passed.
 *
 * @example
 * const { valid, checks } = reportChecks({ signature, holderBinding, nonceAudience })
 */
export function reportChecks<Name extends string>(
  outcomes: Record<Name, CheckOutcome>,
): { valid: boolean; checks: Record<Name, CheckResult> } {
  const checks = {} as Record<Name, CheckResult>
  let valid = true
  for (const name of Object.keys(outcomes) as Name[]) {
    const outcome = outcomes[name]
    valid &&= outcome.ok
    checks[name] = outcome.ok
      ? { passed: true }
      : { passed: false, code: outcome.error.code, reason: outcome.error.reason }
  }
  return { valid, checks }
}
