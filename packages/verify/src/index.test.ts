import { describe, expect, it } from 'vitest'
import * as verify from './index'

describe('@clavis/verify exports', () => {
  it('exports exactly the public API', () => {
    expect(Object.keys(verify).sort()).toMatchInlineSnapshot(`
      [
        "MAX_PRESENTATION_AGE_SECONDS",
        "assertionKeys",
        "checkKeyOfDid",
        "createMemoryNonceStore",
        "createStatusChecker",
        "detectPresentationFormat",
        "presentJwtVp",
        "resolveIssuer",
        "trustListPolicy",
        "verifyByDidUrl",
        "verifyJwtCredential",
        "verifyPresentation",
        "verifySdJwtCredential",
        "verifyWithDocumentKeys",
      ]
    `)
  })
})
