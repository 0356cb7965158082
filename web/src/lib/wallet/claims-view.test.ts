import { describe, expect, it } from 'vitest'
import { claimRows, codingText, scopeText, valueText } from './claims-view'

describe('claims as people read them', () => {
  it('shows codings by display name, with a fallback for known codes', () => {
    expect(codingText({ system: 'http://snomed.info/sct', code: '394579002', display: 'Cardiology' })).toBe(
      'Cardiology (SNOMED CT 394579002)',
    )
    expect(codingText({ system: 'http://nucc.org/provider-taxonomy', code: '207R00000X' })).toBe(
      'Internal Medicine (NUCC taxonomy 207R00000X)',
    )
    expect(codingText({ system: 'urn:x', code: 'Z' })).toBe('urn:x Z')
  })

  it('names, identifiers, scopes and purposes', () => {
    expect(valueText('name', { family: 'García', given: ['Lucía', 'M'] })).toBe('Lucía M García')
    expect(valueText('identifier', { system: 'urn:oid:1.2', value: 'MRN-1' })).toBe('MRN-1 (urn:oid:1.2)')
    expect(scopeText('patient/Observation.rs')).toBe('Observation (read, search)')
    expect(valueText('purposeOfUse', 'TREAT')).toBe('Treatment (TREAT)')
  })

  it('orders known claims first and keeps markup as plain text', () => {
    const rows = claimRows({
      zeta: '<img src=x onerror=alert(1)>',
      name: { family: 'A', given: ['B'] },
      id: 'did:x',
    })
    expect(rows.map((r) => r.name)).toEqual(['name', 'zeta'])
    expect(rows[1]!.value).toBe('<img src=x onerror=alert(1)>')
  })
})
