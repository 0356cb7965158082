import { describe, expect, it } from 'vitest'
import { useTestAgent } from './harness'

// The demo hospital's synthetic patients: generated at first start, valid FHIR, in the audit trail.

const t = useTestAgent({ env: { CLAVIS_DEMO_PATIENTS: '2' } })

describe('demo patients', () => {
  it('the demo hospital gets synthetic patients with records, recorded in its trail', async () => {
    const patients = (
      await t.request('GET', `/v1/organisations/${t.hospital.id}/patients`, { token: t.hospital.token })
    ).body as { patients: { id: string; did: string | null }[] }
    expect(patients.patients.map((p) => p.id).sort()).toEqual(['synth-0001', 'synth-0002'])
    expect(patients.patients.every((p) => p.did === null)).toBe(true)
    const stored = (
      await t.request('GET', `/v1/organisations/${t.hospital.id}/audit?kind=records.stored`, {
        token: t.hospital.token,
      })
    ).body as { entries: { event: { patientId: string; resources: string[] } }[] }
    expect(stored.entries.map((e) => e.event.patientId).sort()).toEqual(['synth-0001', 'synth-0002'])
    for (const e of stored.entries) {
      const types = new Set(e.event.resources.map((r) => r.split('/')[0]))
      expect([...types].sort()).toEqual([
        'AllergyIntolerance',
        'Condition',
        'Encounter',
        'MedicationStatement',
        'Observation',
        'Patient',
      ])
    }
  })
})
