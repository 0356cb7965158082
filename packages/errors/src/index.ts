export type { ClavisErrorOptions, FieldIssue } from './clavis-error'
export { ClavisError, isClavisError } from './clavis-error'
export type { ErrorCode } from './codes'
export { ERROR_CODES, isErrorCode } from './codes'
