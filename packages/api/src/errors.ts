import { ClavisError, type ErrorCode, type FieldIssue } from '@clavis/errors'

/** The JSON body of every API error. */
export interface ErrorBody {
  code: ErrorCode
  message: string
  path?: string
  issues?: FieldIssue[]
}

/**
 * The API body of an error: `{ code, message, path?, issues? }` (`path` is the first bad field).
 *
 * @example
 * c.json(errorBody(err), httpStatusOf(err.code))
 */
export function errorBody(error: ClavisError): ErrorBody {
  const body: ErrorBody = { code: error.code, message: error.message }
  const first = error.issues?.[0]
  if (first) {
    body.path = first.path
    body.issues = error.issues
  }
  return body
}

export { ClavisError, type FieldIssue }
