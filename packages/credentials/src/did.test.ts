import { describe, expect, it } from 'vitest'
import { isDid } from './did'

describe('isDid', () => {
  it.each([
    'did:ethr:0x14a34:0xb9c5714089478a327f09197987f16f9e5d936e8a',
    'did:web:hospital.example.org',
    'did:web:example.com%3A8443:users:alice',
    'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
  ])('accepts %s', (did) => {
    expect(isDid(did)).toBe(true)
  })

  it.each([
    '',
    'did:',
    'did:ethr',
    'did:ethr:',
    'did:ETHR:0xabc',
    'DID:ethr:0xabc',
    'did:ethr:0xabc:',
    'did:ethr:0xabc#key-1',
    'did:ethr:0xabc/path',
    'did:ethr:0xabc?versionId=1',
    'did:web:bad%zz',
    'did:web:has space',
    ' did:web:example.com',
  ])('refuses %j', (did) => {
    expect(isDid(did)).toBe(false)
  })

  it('refuses a DID longer than 256 characters', () => {
    expect(isDid(`did:web:${'a'.repeat(248)}`)).toBe(true)
    expect(isDid(`did:web:${'a'.repeat(249)}`)).toBe(false)
  })

  it('refuses non-strings at runtime', () => {
    expect(isDid(42 as unknown as string)).toBe(false)
  })
})
