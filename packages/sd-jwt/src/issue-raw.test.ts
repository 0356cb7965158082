import { describe, expect, it } from 'vitest'
import { keyPair } from '../test/helpers'
import { SdJwtError } from './errors'
import { issueRawSdJwt, type RawDisclosureFrame } from './issue-raw'

const issuer = keyPair('ES256K')
const iss = 'did:web:i.example'

const issueError = (disclosureFrame: RawDisclosureFrame) =>
  issueRawSdJwt({
    payload: {
      iss,
      cnf: { jwk: issuer.jwk },
      status: { status_list: { idx: 1, uri: 'https://i.example/1' } },
    },
    disclosureFrame,
    alg: 'ES256K',
    signer: issuer.signer,
  }).then(
    () => undefined,
    (error: unknown) => (error instanceof SdJwtError ? error.code : error),
  )

describe('issueRawSdJwt', () => {
  it('refuses to make a claim that must stay visible disclosable, whole or in part', async () => {
    expect(await issueError({ _sd: ['cnf'] })).toBe('not_disclosable')
    expect(await issueError({ cnf: { jwk: { _sd: ['x'] } } })).toBe('not_disclosable')
    expect(await issueError({ status: { _sd: ['status_list'] } })).toBe('not_disclosable')
  })

  it('issues what the frame asks when no name is refused', async () => {
    expect(await issueError({})).toBeUndefined()
    expect(await issueError({ _sd_decoy: 2 })).toBeUndefined()
  })
})
