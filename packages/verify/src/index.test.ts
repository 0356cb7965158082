import { describe, expect, it } from 'vitest'
import * as verify from './index'

describe('@clavis/verify exports', () => {
  it('exports exactly the public API', () => {
    expect(Object.keys(verify).sort()).toMatchInlineSnapshot(`
      [
        "ALLOWED_JWS_ALGORITHMS",
        "DEFAULT_CLOCK_SKEW_SECONDS",
        "MAX_CLOCK_SKEW_SECONDS",
        "MAX_JWT_LENGTH",
        "MAX_PRESENTATION_AGE_SECONDS",
        "assertionKeys",
        "checkKeyOfDid",
        "createMemoryNonceStore",
        "createStatusChecker",
        "presentJwtVp",
        "resolveIssuer",
        "trustListPolicy",
        "verifyJwtCredential",
        "verifyJwtPresentation",
        "verifySdJwtPresentation",
        "verifyWithDocumentKeys",
      ]
    `)
  })

  it('allows only ES256K and ES256', () => {
    expect(verify.ALLOWED_JWS_ALGORITHMS).toEqual(['ES256K', 'ES256'])
  })
})
