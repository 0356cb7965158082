import { describe, expect, it } from 'vitest'
import { httpStatusOf } from './error-codes'
import { ClavisError, errorBody } from './errors'
import { parseRequest } from './parse'
import { addServiceRequest, createOrganisationRequest, issueCredentialRequest } from './schemas'

describe('parseRequest', () => {
  it('returns the parsed body when valid', () => {
    expect(parseRequest(createOrganisationRequest, { name: ' Board ', kind: 'board' })).toEqual({
      name: 'Board',
      kind: 'board',
    })
  })

  it('names the bad field', () => {
    try {
      parseRequest(createOrganisationRequest, { name: 'x', kind: 'pharmacy' })
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(ClavisError)
      const err = e as ClavisError
      expect(err.code).toBe('invalid_request')
      expect(httpStatusOf(err.code)).toBe(400)
      expect(errorBody(err).path).toBe('kind')
    }
  })

  it('refuses unknown fields', () => {
    try {
      parseRequest(createOrganisationRequest, { name: 'x', kind: 'board', admin: true })
      expect.unreachable()
    } catch (e) {
      expect(errorBody(e as ClavisError)).toMatchObject({
        path: 'admin',
        issues: [{ code: 'unknown_field' }],
      })
    }
  })

  it('refuses a non-DID subject and non-https endpoints', () => {
    expect(() =>
      parseRequest(issueCredentialRequest, {
        type: 'ClinicianLicenseCredential',
        subject: 'bob',
        claims: {},
      }),
    ).toThrow(/subject/)
    expect(() =>
      parseRequest(addServiceRequest, { type: 'LinkedDomains', serviceEndpoint: 'http://example.com/' }),
    ).toThrow(/https/)
    expect(
      parseRequest(addServiceRequest, { type: 'LinkedDomains', serviceEndpoint: 'https://example.com/' }),
    ).toEqual({ type: 'LinkedDomains', serviceEndpoint: 'https://example.com/' })
  })
})
