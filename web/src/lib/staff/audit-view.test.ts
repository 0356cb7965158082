import { describe, expect, it } from 'vitest'
import {
  countByType,
  entryActor,
  entryDetails,
  entryLabel,
  entryTone,
  isBreakGlass,
  recentBreakGlass,
  shortId,
} from './audit-view'

const did = 'did:ethr:0x0123456789abcdef0123456789abcdef01234567'
const time = (iso: string) => `<${iso}>`

describe('audit entries as the desk shows them', () => {
  it('labels: per kind, and access decisions by outcome', () => {
    expect(entryLabel({ kind: 'record.read', event: {} })).toBe('Record read')
    expect(entryLabel({ kind: 'access.break_glass', event: {} })).toBe('EMERGENCY ACCESS')
    expect(entryLabel({ kind: 'credential.issued', event: {} })).toBe('Credential issued')
    expect(entryLabel({ kind: 'access.decided', event: { permitted: false } })).toBe('Access refused')
    expect(entryLabel({ kind: 'access.decided', event: { permitted: true } })).toBe('Access permitted')
    expect(entryLabel({ kind: 'something.new', event: {} })).toBe('something.new')
  })

  it('tones and break-glass: emergencies stand out, refusals are bad', () => {
    expect(entryTone({ kind: 'access.break_glass', event: {} })).toBe('alarm')
    expect(entryTone({ kind: 'access.decided', event: { permitted: false } })).toBe('bad')
    expect(entryTone({ kind: 'record.read', event: { breakGlass: true } })).toBe('plain')
    expect(isBreakGlass({ kind: 'record.read', event: { breakGlass: true } })).toBe(true)
    expect(isBreakGlass({ kind: 'record.read', event: { breakGlass: false } })).toBe(false)
  })

  it('details: resources counted by type, reason codes, purpose of use', () => {
    expect(
      entryDetails({
        kind: 'record.read',
        event: {
          interaction: 'search',
          resourceType: 'Observation',
          resources: ['Observation/a', 'Observation/b'],
          parameters: ['code'],
          purposeOfUse: 'TREAT',
          clinicianDid: did,
        },
      }),
    ).toEqual([
      'Searched Observation: 2 resources (Observation ×2)',
      'Searched by code',
      'Purpose: treatment (TREAT)',
    ])
    expect(
      entryDetails({ kind: 'record.read', event: { interaction: 'read', resources: ['Condition/c1'] } }),
    ).toEqual(['Read Condition/c1'])
    expect(
      entryDetails({
        kind: 'access.decided',
        event: {
          permitted: false,
          reason: 'grant_revoked',
          purposeOfUse: 'TREAT',
          checks: { licence: { passed: true }, grantStatus: { passed: false, code: 'grant_revoked' } },
        },
      }),
    ).toEqual(['Reason: grant_revoked', 'Failed: grantStatus (grant_revoked)', 'Purpose: treatment (TREAT)'])
    expect(
      entryDetails(
        {
          kind: 'access.break_glass',
          event: { reason: 'unconscious on arrival', expiresAt: '2026-12-02T10:30:00Z' },
        },
        time,
      ),
    ).toEqual(['Stated reason: “unconscious on arrival”', 'Until <2026-12-02T10:30:00Z>'])
    expect(entryDetails({ kind: 'record.refused', event: { reason: 'insufficient_scope' } })).toEqual([
      'Reason: insufficient_scope',
    ])
  })

  it('who and short identifiers', () => {
    expect(entryActor({ event: { clinicianDid: did } })).toBe(did)
    expect(entryActor({ event: { patientId: 'p1' } })).toBeUndefined()
    expect(shortId(did)).toBe('did:ethr:0x0123…234567')
    expect(shortId('did:jwk:short')).toBe('did:jwk:short')
    expect(countByType(['Observation/a', 'Condition/b', 'Observation/c'])).toBe(
      'Observation ×2, Condition ×1',
    )
  })

  it('break-glass alerts: only the last 24 hours, newest first', () => {
    const now = new Date('2026-12-02T12:00:00Z')
    const entry = (seq: number, at: string, kind = 'access.break_glass') => ({
      seq,
      at,
      kind,
      event: { clinicianDid: did, patientId: `p${seq}`, reason: 'stroke', expiresAt: '2026-12-02T12:30:00Z' },
    })
    const alerts = recentBreakGlass(
      [
        entry(1, '2026-12-01T11:59:59Z'),
        entry(2, '2026-12-01T12:00:00Z'),
        entry(3, '2026-12-02T11:00:00Z', 'record.read'),
        entry(4, '2026-12-02T11:30:00Z'),
      ],
      now,
    )
    expect(alerts.map((a) => a.seq)).toEqual([4, 2])
    expect(alerts[0]).toEqual({
      seq: 4,
      at: '2026-12-02T11:30:00Z',
      clinicianDid: did,
      patientId: 'p4',
      reason: 'stroke',
      until: '2026-12-02T12:30:00Z',
    })
  })
})
