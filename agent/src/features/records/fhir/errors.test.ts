import { describe, expect, it } from 'vitest'
import { FhirRequestError, isFhirRequestError } from './errors'

describe('FhirRequestError', () => {
  it('carries a status, a code and an OperationOutcome', () => {
    const e = FhirRequestError.invalid('_count must be a whole number.', '_count')
    expect(isFhirRequestError(e)).toBe(true)
    expect([e.name, e.status, e.code, e.message]).toEqual([
      'FhirRequestError',
      400,
      'invalid',
      '_count must be a whole number. (_count)',
    ])
    expect(e.outcome).toEqual({
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'invalid',
          details: { text: '_count must be a whole number.' },
          expression: ['_count'],
        },
      ],
    })
  })

  it('has constructors for the usual failures', () => {
    expect(FhirRequestError.notFound('Observation', 'o-9').outcome.issue).toEqual([
      {
        severity: 'error',
        code: 'not-found',
        details: {
          text: 'No Observation with id "o-9" in this patient\'s records. Search Observation to list the ids there are.',
        },
      },
    ])
    expect([
      FhirRequestError.notFound('Patient', 'x').status,
      FhirRequestError.forbidden('No.').status,
    ]).toEqual([404, 403])
    expect(FhirRequestError.notSupported('Chained search is not supported.', 'subject.name')).toMatchObject({
      status: 400,
      code: 'not-supported',
    })
  })

  it('keeps diagnostics and warnings of foreign outcomes out', () => {
    const e = FhirRequestError.fromOutcomeIssues(400, [
      { severity: 'warning', code: 'informational', details: { text: 'fyi' } },
      {
        severity: 'error',
        code: 'processing',
        details: { text: 'Could not check constraint' },
        diagnostics: '{"error":"TypeError: x is undefined\\n at eval (/srv/agent.mjs:1:2)"}',
        expression: ['Observation.code'],
      },
    ])
    expect(e.outcome.issue).toEqual([
      {
        severity: 'error',
        code: 'processing',
        details: { text: 'Could not check constraint' },
        expression: ['Observation.code'],
      },
    ])
  })
})
