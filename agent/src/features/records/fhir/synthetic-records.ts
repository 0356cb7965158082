import type {
  AllergyIntolerance,
  CodeableConcept,
  Coding,
  Condition,
  Encounter,
  MedicationStatement,
  Observation,
  Quantity,
  Resource,
} from '@medplum/fhirtypes'
import { hash, type Random, seededRandom } from './seeded-random'
import {
  ALLERGIES,
  BLOOD_PRESSURE,
  CONDITIONS,
  type ConditionKind,
  ENCOUNTER_KINDS,
  LABORATORY,
  LOINC,
  MEDICATIONS,
  type MeasureKind,
  REACTIONS,
  RXNORM,
  SNOMED,
  UCUM,
  VITAL_SIGNS,
} from './synthetic-catalog'

/** The tag on every synthetic resource: demo data, no real person. */
export const SYNTHETIC_TAG: Readonly<Coding> = Object.freeze({
  system: 'urn:clavis:demo',
  code: 'synthetic',
  display: 'Synthetic demo data',
})

/** Dates are drawn backwards from here, so the data does not depend on the clock. */
const REFERENCE_TIME = Date.UTC(2025, 5, 30, 12)
const DAY = 86_400_000
const TERMINOLOGY = 'http://terminology.hl7.org/CodeSystem'
const meta = () => ({ tag: [{ ...SYNTHETIC_TAG }] })

/**
 * Deterministic synthetic records for a patient that already exists (any id): Encounters with
 * Observations, Conditions, AllergyIntolerances and MedicationStatements referencing
 * `Patient/<patientId>`, each tagged {@link SYNTHETIC_TAG}.
 *
 * @example
 * syntheticRecordsFor('3f2a9c', 7).filter((r) => r.resourceType === 'Observation')
 */
export function syntheticRecordsFor(patientId: string, seed = 1): Resource[] {
  const random = seededRandom(`${seed}:records:${patientId}`)
  const subject = { reference: `Patient/${patientId}` }
  const ids = idMaker(patientId)
  const records: Resource[] = []

  const chronic = random.sample(
    CONDITIONS.filter((c) => c.chronic),
    random.int(1, 3),
  )
  const acute = random.sample(
    CONDITIONS.filter((c) => !c.chronic),
    random.int(1, 2),
  )
  const conditions = [...chronic, ...acute].map((kind) => condition(ids('cond'), subject, kind, random))
  records.push(...conditions)

  const visits = random.int(3, 5)
  for (let v = 0; v < visits; v++) {
    const kind = random.pick(ENCOUNTER_KINDS)
    const start = REFERENCE_TIME - random.int(7, 1000) * DAY + random.int(8, 16) * 3_600_000
    const encounter: Encounter = {
      resourceType: 'Encounter',
      id: ids('enc'),
      meta: meta(),
      status: 'finished',
      class: {
        system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
        code: kind.class,
        display: kind.classDisplay,
      },
      type: [concept(SNOMED, kind.type, kind.typeDisplay)],
      subject,
      period: { start: instant(start), end: instant(start + kind.hours * 3_600_000) },
    }
    records.push(encounter)
    const at = instant(start + 15 * 60_000)
    const context = { subject, encounter: { reference: `Encounter/${encounter.id}` }, at }
    if (kind.class === 'VR') continue // no measurements over video
    records.push(bloodPressure(ids('obs'), context, random))
    for (const vital of random.sample(VITAL_SIGNS, random.int(2, 4))) {
      records.push(measurement(ids('obs'), context, 'vital-signs', vital, random.between(vital)))
    }
    for (const test of random.sample(LABORATORY, random.int(0, 2))) {
      records.push(laboratory(ids('obs'), context, test, random.between(test)))
    }
  }

  for (const kind of random.sample(ALLERGIES, random.int(1, 2))) {
    const reaction = random.pick(REACTIONS)
    const allergy: AllergyIntolerance = {
      resourceType: 'AllergyIntolerance',
      id: ids('alg'),
      meta: meta(),
      clinicalStatus: concept(`${TERMINOLOGY}/allergyintolerance-clinical`, 'active', 'Active'),
      verificationStatus: concept(`${TERMINOLOGY}/allergyintolerance-verification`, 'confirmed', 'Confirmed'),
      type: 'allergy',
      category: [kind.category],
      criticality: reaction.severity === 'severe' ? 'high' : 'low',
      code: concept(kind.system, kind.code, kind.display),
      patient: subject,
      recordedDate: date(REFERENCE_TIME - random.int(100, 3000) * DAY),
      reaction: [
        { manifestation: [concept(SNOMED, reaction.code, reaction.display)], severity: reaction.severity },
      ],
    }
    records.push(allergy)
  }

  for (const c of conditions) {
    const code = c.code?.coding?.[0]?.code
    for (const kind of MEDICATIONS.filter((m) => m.treats === code).slice(0, 1)) {
      records.push(medication(ids('med'), subject, kind, c, random))
    }
  }
  const shortCourse = MEDICATIONS.find((m) => m.treats === undefined)
  if (shortCourse) records.push(medication(ids('med'), subject, shortCourse, undefined, random))
  return records
}

type Subject = { reference: string }
type ObservationContext = { subject: Subject; encounter: { reference: string }; at: string }

function condition(id: string, subject: Subject, kind: ConditionKind, random: Random): Condition {
  const onset = REFERENCE_TIME - random.int(kind.chronic ? 400 : 20, kind.chronic ? 5000 : 900) * DAY
  return {
    resourceType: 'Condition',
    id,
    meta: meta(),
    clinicalStatus: concept(
      `${TERMINOLOGY}/condition-clinical`,
      kind.chronic ? 'active' : 'resolved',
      kind.chronic ? 'Active' : 'Resolved',
    ),
    verificationStatus: concept(`${TERMINOLOGY}/condition-ver-status`, 'confirmed', 'Confirmed'),
    category: [
      kind.chronic
        ? concept(`${TERMINOLOGY}/condition-category`, 'problem-list-item', 'Problem List Item')
        : concept(`${TERMINOLOGY}/condition-category`, 'encounter-diagnosis', 'Encounter Diagnosis'),
    ],
    code: concept(SNOMED, kind.code, kind.display),
    subject,
    onsetDateTime: date(onset),
    ...(kind.chronic ? {} : { abatementDateTime: date(onset + random.int(5, 14) * DAY) }),
    recordedDate: date(onset + DAY),
  }
}

function medication(
  id: string,
  subject: Subject,
  kind: (typeof MEDICATIONS)[number],
  reason: Condition | undefined,
  random: Random,
): MedicationStatement {
  const start = reason?.onsetDateTime
    ? Date.parse(reason.onsetDateTime) + 7 * DAY
    : REFERENCE_TIME - random.int(30, 600) * DAY
  return {
    resourceType: 'MedicationStatement',
    id,
    meta: meta(),
    status: reason ? 'active' : 'completed',
    medicationCodeableConcept: concept(RXNORM, kind.code, kind.display),
    subject,
    effectivePeriod: reason ? { start: date(start) } : { start: date(start), end: date(start + 5 * DAY) },
    dateAsserted: date(start),
    ...(reason ? { reasonReference: [{ reference: `Condition/${reason.id}` }] } : {}),
    dosage: [{ text: kind.dosage }],
  }
}

function bloodPressure(id: string, o: ObservationContext, random: Random): Observation {
  const { systolic, diastolic, panel } = BLOOD_PRESSURE
  return {
    ...observationBase(id, o, 'vital-signs', panel.code, panel.display),
    component: [
      {
        code: concept(LOINC, systolic.code, systolic.display),
        valueQuantity: quantity(systolic, random.between(systolic)),
      },
      {
        code: concept(LOINC, diastolic.code, diastolic.display),
        valueQuantity: quantity(diastolic, random.between(diastolic)),
      },
    ],
  }
}

function measurement(
  id: string,
  o: ObservationContext,
  category: string,
  kind: MeasureKind,
  value: number,
): Observation {
  return {
    ...observationBase(id, o, category, kind.code, kind.display),
    valueQuantity: quantity(kind, value),
  }
}

function laboratory(
  id: string,
  o: ObservationContext,
  test: (typeof LABORATORY)[number],
  value: number,
): Observation {
  const flag =
    value < test.normalLow ? ['L', 'Low'] : value > test.normalHigh ? ['H', 'High'] : ['N', 'Normal']
  return {
    ...measurement(id, o, 'laboratory', test, value),
    interpretation: [
      concept(`${TERMINOLOGY}/v3-ObservationInterpretation`, flag[0] as string, flag[1] as string),
    ],
    referenceRange: [{ low: quantity(test, test.normalLow), high: quantity(test, test.normalHigh) }],
  }
}

function observationBase(id: string, o: ObservationContext, category: string, code: string, display: string) {
  return {
    resourceType: 'Observation' as const,
    id,
    meta: meta(),
    status: 'final' as const,
    category: [
      concept(
        `${TERMINOLOGY}/observation-category`,
        category,
        category === 'laboratory' ? 'Laboratory' : 'Vital Signs',
      ),
    ],
    code: concept(LOINC, code, display),
    subject: o.subject,
    encounter: o.encounter,
    effectiveDateTime: o.at,
  }
}

const concept = (system: string, code: string, display: string): CodeableConcept => ({
  coding: [{ system, code, display }],
  text: display,
})

const quantity = (kind: { unit: string; ucum: string }, value: number): Quantity => ({
  value,
  unit: kind.unit,
  system: UCUM,
  code: kind.ucum,
})

const date = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
const instant = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`

/** Record ids `<patientId>-obs-3`; from a hash of the patient id when that would not be a FHIR id (too long). */
function idMaker(patientId: string): (kind: string) => string {
  const prefix = /^[A-Za-z0-9\-.]{1,50}$/.test(patientId) ? patientId : `p${hash(patientId).toString(36)}`
  let n = 0
  return (kind) => `${prefix}-${kind}-${++n}`
}
