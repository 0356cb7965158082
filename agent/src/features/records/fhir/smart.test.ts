import { describe, expect, it } from 'vitest'
import { FhirRequestError } from './errors'
import { allows, parseScopes, recordScopesOf } from './smart'

const message = (run: () => unknown) => {
  try {
    run()
  } catch (e) {
    if (e instanceof FhirRequestError) return `${e.status} ${e.outcome.issue[0]?.details?.text}`
    throw e
  }
  throw new Error('accepted')
}

describe('parseScopes', () => {
  it('parses v2 scopes, wildcards and v1 read', () => {
    const scopes = parseScopes([
      'patient/Observation.rs',
      'patient/Patient.r patient/Condition.read',
      'patient/*.s',
    ])
    expect(allows(scopes, 'Observation', 'read')).toBe(true)
    expect(allows(scopes, 'Observation', 'search')).toBe(true)
    expect(allows(scopes, 'Patient', 'read')).toBe(true)
    expect(allows(scopes, 'Patient', 'search')).toBe(true) // from patient/*.s
    expect(allows(scopes, 'Condition', 'search')).toBe(true) // v1 read = rs
    expect(allows(scopes, 'Encounter', 'read')).toBe(false)
  })

  it('accepts every ordered subset of cruds', () => {
    const scopes = parseScopes(['patient/Encounter.cruds', 'patient/Condition.cud'])
    expect(allows(scopes, 'Encounter', 'search')).toBe(true)
    expect(allows(scopes, 'Condition', 'read')).toBe(false)
  })

  it('allows nothing without scopes', () => {
    expect(allows(parseScopes([]), 'Patient', 'read')).toBe(false)
  })

  it('refuses what is not a patient record scope, saying what to write', () => {
    expect(message(() => parseScopes(['openid']))).toBe(
      '400 "openid" is not a SMART resource scope: write patient/<Type or *>.<permissions>, e.g. patient/Observation.rs.',
    )
    expect(message(() => parseScopes(['patient/Observation.sr']))).toBe(
      '400 Scope "patient/Observation.sr" has permissions "sr": use letters of cruds in that order (e.g. rs), or read.',
    )
    expect(message(() => parseScopes(['user/Observation.rs']))).toBe(
      '400 Scope "user/Observation.rs" is for user context: this server grants only patient/ scopes.',
    )
    expect(message(() => parseScopes(['patient/Immunization.rs']))).toContain(
      'names a type this server does not hold',
    )
    expect(message(() => parseScopes(['patient/Observation.rs?category=laboratory']))).toBe(
      '400 Scope "patient/Observation.rs?category=laboratory" has a restriction (?category=laboratory), which this server does not support: ask for patient/Observation.rs instead.',
    )
  })
})

describe('recordScopesOf', () => {
  it('keeps patient record scopes, reduced to read and search, canonical and sorted', () => {
    expect(
      recordScopesOf([
        'openid fhirUser launch/patient',
        'patient/Observation.cruds',
        'patient/Condition.r',
        'patient/Condition.s',
        'patient/Encounter.cud',
        'patient/Immunization.rs',
        'user/Patient.rs',
        'patient/Observation.rs',
      ]),
    ).toEqual(['patient/Condition.rs', 'patient/Observation.rs'])
  })

  it('expands * to every record type', () => {
    expect(recordScopesOf(['patient/*.read', 'patient/Patient.r'])).toEqual([
      'patient/AllergyIntolerance.rs',
      'patient/Condition.rs',
      'patient/Encounter.rs',
      'patient/MedicationStatement.rs',
      'patient/Observation.rs',
      'patient/Patient.rs',
    ])
    expect(recordScopesOf(['patient/*.s'])).toHaveLength(6)
  })

  it('gives nothing for a grant without patient record scopes', () => {
    expect(recordScopesOf([])).toEqual([])
    expect(recordScopesOf(['openid', 'system/*.rs'])).toEqual([])
  })

  it('refuses restricted or malformed patient scopes rather than widen them', () => {
    expect(message(() => recordScopesOf(['patient/Observation.rs?category=laboratory']))).toContain(
      'has a restriction',
    )
    expect(message(() => recordScopesOf(['patient/Observation']))).toContain('is not a SMART resource scope')
  })
})
