import type { Patient, Resource } from '@medplum/fhirtypes'
import { seededRandom } from './seeded-random'
import { GREEK, NATO } from './synthetic-catalog'
import { SYNTHETIC_TAG, syntheticRecordsFor } from './synthetic-records'

export { SYNTHETIC_TAG, syntheticRecordsFor } from './synthetic-records'

/** A synthetic patient and their records. */
export interface SyntheticPatient {
  patient: Patient
  records: Resource[]
}

/**
 * Deterministic, clearly synthetic demo patients (`synth-0001`, …, family name "Synthetic", given
 * names from Greek letters and the NATO alphabet), each with a few Encounters, Observations (vital
 * signs, laboratory), Conditions, AllergyIntolerances and MedicationStatements. The same `seed`
 * gives the same data; patient `n` does not depend on `count`. Every resource passes `validateRecord`.
 *
 * @example
 * const [{ patient, records }] = syntheticPatients(1) // patient.id === 'synth-0001'
 */
export function syntheticPatients(count: number, seed = 1): SyntheticPatient[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(4, '0')
    const id = `synth-${n}`
    const random = seededRandom(`${seed}:patient:${id}`)
    const gender = random.pick(['female', 'male', 'female', 'male', 'other', 'unknown'] as const)
    const patient: Patient = {
      resourceType: 'Patient',
      id,
      meta: { tag: [{ ...SYNTHETIC_TAG }] },
      text: {
        status: 'generated',
        div: '<div xmlns="http://www.w3.org/1999/xhtml">Synthetic demo patient: not a real person.</div>',
      },
      identifier: [{ system: 'urn:clavis:demo:mrn', value: `MRN-SYN-${seed}-${n}` }],
      active: true,
      name: [
        {
          use: 'official',
          family: 'Synthetic',
          given: [GREEK[i % GREEK.length] as string, random.pick(NATO)],
        },
      ],
      gender,
      birthDate: new Date(Date.UTC(random.int(1940, 2005), random.int(0, 11), random.int(1, 28)))
        .toISOString()
        .slice(0, 10),
    }
    return { patient, records: syntheticRecordsFor(id, seed) }
  })
}
