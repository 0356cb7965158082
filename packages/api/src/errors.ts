import { type ErrorCode, httpStatusOf } from './error-codes'

/** Where a bad field is and what is wrong with it. */
export interface FieldIssue {
  path: string
  code: string
  message: string
}

/** The JSON body of every API error. */
export interface ErrorBody {
  code: ErrorCode
  message: string
  path?: string
  issues?: FieldIssue[]
}

/**
 * The base error of Clavis: a stable `code`, a short message that says what to do next,
 * optionally the bad fields. Renders itself as an API error body.
 *
 * @example
 * throw new ClavisError({ code: 'not_found', message: 'No organisation with id "x". List them with GET /v1/organisations.' })
 */
export class ClavisError extends Error {
  override readonly name: string = 'ClavisError'
  readonly code: ErrorCode
  readonly issues: FieldIssue[] | undefined

  constructor(options: { code: ErrorCode; message: string; issues?: FieldIssue[]; cause?: unknown }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = options.code
    this.issues = options.issues
  }

  /** HTTP status for this error. */
  get status(): number {
    return httpStatusOf(this.code)
  }

  /** The API body: `{ code, message, path?, issues? }`. */
  toBody(): ErrorBody {
    const body: ErrorBody = { code: this.code, message: this.message }
    const first = this.issues?.[0]
    if (first) {
      body.path = first.path
      body.issues = this.issues
    }
    return body
  }
}
