import type { ErrorCode } from './codes'

/** Where a bad field is and what is wrong with it. */
export interface FieldIssue {
  path: string
  code: string
  message: string
}

/** What every Clavis error carries. */
export interface ClavisErrorOptions<C extends string = ErrorCode> {
  code: C
  /** A short sentence that says what is wrong and what to do next. */
  message: string
  /** The bad fields, when the input had several. */
  issues?: FieldIssue[]
  cause?: unknown
}

/**
 * The base error of Clavis: a stable `code`, a message that says what to do next, optionally the
 * bad fields. It knows nothing of HTTP: the API maps codes to statuses at its edge.
 *
 * `C` is one of {@link ErrorCode} for everything that can reach a client. A library package may
 * narrow its own codes (`StatusListError`, `SdJwtError`): those are caught and turned into results
 * or API codes by their callers; one reaching the HTTP edge unconverted is a bug (500, logged).
 *
 * @example
 * throw new ClavisError({ code: 'not_found', message: 'No organisation with id "x". List them with GET /v1/organisations.' })
 */
export class ClavisError<C extends string = ErrorCode> extends Error {
  override readonly name: string = 'ClavisError'
  readonly code: C
  readonly issues: FieldIssue[] | undefined

  constructor(options: ClavisErrorOptions<C>) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = options.code
    this.issues = options.issues
  }
}

/** Whether `e` is a Clavis error (with one of the given codes, when given). */
export function isClavisError<C extends string>(e: unknown, ...codes: C[]): e is ClavisError<C> {
  return e instanceof ClavisError && (codes.length === 0 || (codes as string[]).includes(e.code))
}
