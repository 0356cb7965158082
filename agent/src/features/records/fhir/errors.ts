import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes'

/** A FHIR R4 issue type (`OperationOutcome.issue.code`), e.g. `invalid`, `not-found`, `code-invalid`. */
export type FhirIssueCode = OperationOutcomeIssue['code']

/** One problem with a request: what is wrong, what to do next, and where (a FHIRPath or parameter name). */
export interface FhirIssue {
  code: FhirIssueCode
  message: string
  expression?: string
}

/**
 * An expected failure of a FHIR request, carrying its HTTP `status` and the FHIR `outcome` to send
 * as the body. The outcome holds only severity, code, a message saying what to do next, and the
 * expression: never diagnostics, stack traces or internals.
 *
 * @example
 * throw FhirRequestError.invalid('_count must be a whole number from 1 to 200.', '_count')
 * // status 400, outcome.issue[0] = { severity: 'error', code: 'invalid', details: { text: '…' }, expression: ['_count'] }
 */
export class FhirRequestError extends Error {
  override readonly name = 'FhirRequestError'
  /** The HTTP status to answer with (400, 403, 404, 413). */
  readonly status: number
  /** The issue type of the first issue: a stable code for callers to branch on. */
  readonly code: FhirIssueCode
  readonly outcome: OperationOutcome

  /** `issues` must not be empty. */
  constructor(status: number, issues: readonly FhirIssue[], options?: { cause?: unknown }) {
    const first = issues[0]
    if (!first) throw new TypeError('FhirRequestError needs at least one issue')
    super(issues.map(describe).join('; '), options)
    this.status = status
    this.code = first.code
    this.outcome = { resourceType: 'OperationOutcome', issue: issues.map(toOutcomeIssue) }
  }

  /** 400 `invalid`: the request or resource is malformed. @example FhirRequestError.invalid('Send a JSON object.') */
  static invalid(message: string, expression?: string): FhirRequestError {
    return new FhirRequestError(400, [{ code: 'invalid', message, expression }])
  }

  /** 404 `not-found`. @example FhirRequestError.notFound('Observation', 'obs-1') */
  static notFound(type: string, id: string): FhirRequestError {
    return new FhirRequestError(404, [
      {
        code: 'not-found',
        message: `No ${type} with id "${id}" in this patient's records. Search ${type} to list the ids there are.`,
      },
    ])
  }

  /** 403 `forbidden`. @example FhirRequestError.forbidden('This token opens only patient p1\'s records.') */
  static forbidden(message: string, expression?: string): FhirRequestError {
    return new FhirRequestError(403, [{ code: 'forbidden', message, expression }])
  }

  /** 400 `not-supported`: valid FHIR, but not served here. @example FhirRequestError.notSupported('Chained search is not supported.', 'subject.name') */
  static notSupported(message: string, expression?: string): FhirRequestError {
    return new FhirRequestError(400, [{ code: 'not-supported', message, expression }])
  }

  /**
   * From issues found by someone else (e.g. `@medplum/core`'s validator), keeping only the error
   * issues' code, text and expression.
   */
  static fromOutcomeIssues(status: number, issues: readonly OperationOutcomeIssue[]): FhirRequestError {
    return new FhirRequestError(status, issues.filter(isError).map(toFhirIssue))
  }
}

/** Whether `e` is a {@link FhirRequestError}. @example if (isFhirRequestError(e)) return c.json(e.outcome, e.status) */
export function isFhirRequestError(e: unknown): e is FhirRequestError {
  return e instanceof FhirRequestError
}

/** Turns an issue of an outcome into a {@link FhirIssue}, dropping diagnostics and anything else. */
export function toFhirIssue(issue: OperationOutcomeIssue): FhirIssue {
  const message = issue.details?.text ?? 'Invalid value'
  const expression = issue.expression?.[0]
  return expression === undefined ? { code: issue.code, message } : { code: issue.code, message, expression }
}

const isError = (issue: OperationOutcomeIssue): boolean =>
  issue.severity === 'error' || issue.severity === 'fatal'

const describe = (issue: FhirIssue): string =>
  issue.expression ? `${issue.message} (${issue.expression})` : issue.message

function toOutcomeIssue(issue: FhirIssue): OperationOutcomeIssue {
  const out: OperationOutcomeIssue = { severity: 'error', code: issue.code, details: { text: issue.message } }
  if (issue.expression !== undefined) out.expression = [issue.expression]
  return out
}
