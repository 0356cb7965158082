import { describe, expect, it } from 'vitest'
import { ClavisError, ERROR_CODES, isClavisError, isErrorCode } from './index'

describe('ClavisError', () => {
  it('carries a code, a message, the bad fields and a cause, and nothing of HTTP', () => {
    const cause = new Error('disk')
    const e = new ClavisError({
      code: 'invalid_claims',
      message: 'Bad claim "npi"',
      issues: [{ path: 'npi', code: 'invalid_format', message: 'not an NPI' }],
      cause,
    })
    expect(e).toBeInstanceOf(Error)
    expect(e.code).toBe('invalid_claims')
    expect(e.issues?.[0]?.path).toBe('npi')
    expect(e.cause).toBe(cause)
    expect('status' in e).toBe(false)
  })

  it('subclasses keep their name and code', () => {
    class ChainDown extends ClavisError<'chain_unavailable'> {
      override readonly name = 'ChainDown'
    }
    const e = new ChainDown({ code: 'chain_unavailable', message: 'down' })
    expect(isClavisError(e)).toBe(true)
    expect(isClavisError(e, 'chain_unavailable')).toBe(true)
    expect(isClavisError(e, 'not_found')).toBe(false)
    expect(isClavisError(new Error('x'))).toBe(false)
    expect(e.name).toBe('ChainDown')
  })

  it('codes are unique snake_case words; isErrorCode knows exactly them', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length)
    for (const code of ERROR_CODES) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/)
    expect(isErrorCode('not_found')).toBe(true)
    expect(isErrorCode('toString')).toBe(false)
    expect(isErrorCode(404)).toBe(false)
  })
})
