import { describe, expect, it } from 'vitest'
import * as sdJwt from './index'

describe('@clavis/sd-jwt', () => {
  it('exports', () => {
    expect(Object.keys(sdJwt).sort()).toMatchInlineSnapshot(`
      [
        "DEFAULT_DISCLOSABLE",
        "KEY_BINDING_MAX_AGE_SECONDS",
        "MAX_SD_JWT_LENGTH",
        "NEVER_DISCLOSABLE",
        "SD_JWT_VC_TYP",
        "SdJwtError",
        "credentialTypeOfVct",
        "decodeSdJwtVc",
        "issueRawSdJwt",
        "issueSdJwtVc",
        "presentSdJwtVc",
        "vctFor",
        "verifySdJwtVc",
      ]
    `)
  })
})
