import { describe, expect, it } from 'vitest'
import * as status from './index'

describe('@clavis/status exports', () => {
  it('has exactly this runtime API', () => {
    expect(Object.keys(status).sort()).toMatchInlineSnapshot(`
      [
        "Bitstring",
        "CREDENTIALS_V1_CONTEXT",
        "CREDENTIALS_V2_CONTEXT",
        "DEFAULT_MAX_BYTES",
        "MIN_LIST_ENTRIES",
        "STATUS_LIST_CONTEXT",
        "StatusListError",
        "TOKEN_STATUS",
        "TokenStatusList",
        "bitstringStatusEntry",
        "checkStatusListJwt",
        "decodeBitstring",
        "decodeStatusListJwt",
        "decodeTokenStatusList",
        "encodeBitstring",
        "encodeTokenStatusList",
        "isStatusPurpose",
        "isTokenStatusBits",
        "parseBitstringStatusEntry",
        "parseTokenStatusEntry",
        "signBitstringStatusListCredential",
        "signTokenStatusListJwt",
        "tokenStatusEntry",
      ]
    `)
  })
})
