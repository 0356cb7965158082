import { describe, expect, it } from 'vitest'
import * as sdJwt from './index'

describe('@clavis/sd-jwt', () => {
  it('exports', () => {
    expect(Object.keys(sdJwt).sort()).toMatchInlineSnapshot(`
      [
        "DEFAULT_DISCLOSABLE",
        "NEVER_DISCLOSABLE",
        "REGISTERED_CLAIMS",
        "SD_JWT_VC_TYP",
        "SdJwtError",
        "checkKeyBinding",
        "credentialTypeOfVct",
        "decodeKeyBinding",
        "decodeSdJwtVc",
        "disclosedClaims",
        "issueRawSdJwt",
        "issueSdJwtVc",
        "presentSdJwtVc",
        "splitRegisteredClaims",
        "vctFor",
      ]
    `)
  })
})
