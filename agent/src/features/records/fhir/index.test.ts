import { describe, expect, it } from 'vitest'
import * as records from './index'

describe('records/fhir exports', () => {
  it('keeps its public API stable', () => {
    expect(Object.keys(records).sort()).toMatchInlineSnapshot(`
      [
        "DEFAULT_COUNT",
        "FhirRequestError",
        "MAX_COUNT",
        "MAX_RECORD_BYTES",
        "RECORD_TYPES",
        "SYNTHETIC_TAG",
        "allows",
        "isFhirRequestError",
        "isRecordType",
        "loadFhirR4",
        "parseScopes",
        "recordScopesOf",
        "searchRecords",
        "syntheticPatients",
        "syntheticRecordsFor",
        "validateRecord",
      ]
    `)
  })
})
