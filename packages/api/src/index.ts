export { ERROR_STATUS, type ErrorCode, httpStatusOf, isErrorCode, retryAfterOf } from './error-codes'
export { ClavisError, type ErrorBody, errorBody, type FieldIssue } from './errors'
export { parseRequest, toFieldIssues } from './parse'
export * from './schemas'
