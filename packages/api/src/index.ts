export { ERROR_STATUS, type ErrorCode, httpStatusOf, isErrorCode } from './error-codes'
export { ClavisError, type ErrorBody, type FieldIssue } from './errors'
export { parseRequest, toFieldIssues } from './parse'
export * from './schemas'
