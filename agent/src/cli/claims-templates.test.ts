import { checkClaims } from '@clavis/credentials'
import { describe, expect, it } from 'vitest'
import { CLAIMS_TEMPLATES, CREDENTIAL_WORDS, type CredentialWord, credentialWord } from './claims-templates'

describe('claims templates', () => {
  for (const word of Object.keys(CLAIMS_TEMPLATES) as CredentialWord[]) {
    it(`${word}: the template passes the ${CREDENTIAL_WORDS[word]} schema as it is`, () => {
      const result = checkClaims({ type: CREDENTIAL_WORDS[word], claims: CLAIMS_TEMPLATES[word] })
      expect(result).toMatchObject({ ok: true })
    })
  }

  it('reads both spellings of licence and nothing else', () => {
    expect(credentialWord('license')).toBe('licence')
    expect(credentialWord('licence')).toBe('licence')
    expect(credentialWord('constructor')).toBeUndefined()
    expect(credentialWord('grant')).toBeUndefined()
  })
})
