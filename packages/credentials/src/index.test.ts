import { describe, expect, it } from 'vitest'
import * as credentials from './index'

describe('@clavis/credentials exports', () => {
  it('exports exactly this API', () => {
    expect(Object.keys(credentials).sort()).toMatchInlineSnapshot(`
      [
        "CREDENTIAL_TYPES",
        "CredentialClaimsError",
        "DEFAULT_IDENTITY_VALIDITY_DAYS",
        "IDENTITY_ASSURANCE_LEVELS",
        "MAX_DID_LENGTH",
        "MAX_GRANT_DAYS",
        "MAX_START_DELAY_DAYS",
        "MAX_VALIDITY_DAYS",
        "PURPOSES_OF_USE",
        "STATUS_LIST_CONTEXT_V1",
        "VC_CONTEXT_V1",
        "VC_CONTEXT_V2",
        "buildCredential",
        "buildCredentialV2",
        "checkClaims",
        "checkCredential",
        "checkIssuancePeriod",
        "checkValidityPeriod",
        "claimsSchemas",
        "isCredentialType",
        "isDid",
        "isValidNpi",
      ]
    `)
  })

  it('freezes the shared lists and schemas', () => {
    expect(Object.isFrozen(credentials.CREDENTIAL_TYPES)).toBe(true)
    expect(Object.isFrozen(credentials.claimsSchemas)).toBe(true)
    expect(Object.keys(credentials.claimsSchemas)).toEqual([...credentials.CREDENTIAL_TYPES])
  })
})
