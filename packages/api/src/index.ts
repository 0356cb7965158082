export { ApiError, type ApiErrorCode, type ClientErrorCode, isApiError } from './api-error'
export { COMPONENT_SCHEMAS } from './components'
export { errorBodySchema, fieldIssueSchema } from './error-body'
export { ERROR_STATUS, type ErrorCode, httpStatusOf, isErrorCode, retryAfterOf } from './error-codes'
export { ClavisError, type ErrorBody, errorBody, type FieldIssue } from './errors'
export type {
  AuthKind,
  Body,
  HttpMethod,
  JsonBody,
  Operation,
  OperationInput,
  OperationOutput,
  TextBody,
} from './operation'
export { type InputOf, OPERATIONS, type OperationName, type OutputOf } from './operations'
export { parseRequest, toFieldIssues } from './parse'
export * from './responses/audit'
export * from './responses/credentials'
export * from './responses/dids'
export * from './responses/health'
export * from './responses/offers'
export * from './responses/openapi'
export * from './responses/openid4vp'
export * from './responses/organisations'
export * from './responses/records'
export * from './responses/status-lists'
export * from './responses/verification'
export { VERIFICATION_FAILURE_CODES } from './responses/verification-codes'
export * from './schemas'
