// FHIR R4 records of a hospital's patients: validation, SMART scopes, search, synthetic demo data.
// Pure functions over resources the caller loads and stores.

export { isRecordType, loadFhirR4, RECORD_TYPES, type RecordType } from './definitions'
export { type FhirIssue, type FhirIssueCode, FhirRequestError, isFhirRequestError } from './errors'
export {
  type SearchRecordsErrorType,
  type SearchRecordsParameters,
  type SearchRecordsReturnType,
  searchRecords,
} from './search'
export { DEFAULT_COUNT, MAX_COUNT } from './search-query'
export {
  allows,
  parseScopes,
  recordScopesOf,
  type ScopeInteraction,
  type ScopePermission,
  type ScopeSet,
} from './smart'
export { SYNTHETIC_TAG, type SyntheticPatient, syntheticPatients, syntheticRecordsFor } from './synthetic'
export { MAX_RECORD_BYTES, validateRecord } from './validate'
