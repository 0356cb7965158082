import { describe, expect, it } from 'vitest'
import { isValidNpi } from './npi'

describe('isValidNpi', () => {
  it('accepts NPIs with a correct check digit', () => {
    expect(isValidNpi('1234567893')).toBe(true)
    expect(isValidNpi('1245319599')).toBe(true)
  })

  it('refuses a wrong check digit', () => {
    expect(isValidNpi('1234567890')).toBe(false)
    expect(isValidNpi('1245319598')).toBe(false)
  })

  it('refuses anything but 10 digits', () => {
    for (const npi of ['123456789', '12345678931', '123456789a', '', ' 234567893'])
      expect(isValidNpi(npi)).toBe(false)
  })
})
