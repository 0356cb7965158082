/**
 * FHIR R4 resources as a clinician reads them: one line for what it is (codings by their display
 * name), one for its value or state, and when. Pure and small: the web app does not bundle a FHIR
 * library for labels (ADR 0031). Text is returned as text; the page escapes it.
 */

type Json = Record<string, unknown>
interface Coding {
  system?: string
  code?: string
  display?: string
}
interface CodeableConcept {
  text?: string
  coding?: Coding[]
}

export interface RecordLine {
  id: string
  type: string
  title: string
  detail: string
  when: string | undefined
  /** An abnormal flag (e.g. "High"), a criticality, or an inactive state worth showing apart. */
  flag?: string | undefined
}

/** A CodeableConcept's words: its text, else its first coding's display, else its code. */
export function conceptText(value: unknown): string {
  const cc = value as CodeableConcept | undefined
  if (!cc || typeof cc !== 'object') return ''
  if (typeof cc.text === 'string' && cc.text) return cc.text
  const coding = cc.coding?.find((c) => c.display) ?? cc.coding?.[0]
  return coding?.display ?? coding?.code ?? ''
}

function quantity(value: unknown): string {
  const q = value as { value?: number; unit?: string; code?: string; comparator?: string } | undefined
  if (!q || typeof q.value !== 'number') return ''
  return `${q.comparator ?? ''}${q.value} ${q.unit ?? q.code ?? ''}`.trim()
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' })

/** A FHIR date or dateTime for people (day precision; a year or month alone as written). */
export function formatFhirDate(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value) return undefined
  if (/^\d{4}(-\d{2})?$/.test(value)) return value
  const t = Date.parse(value)
  return Number.isNaN(t) ? value : dateFormat.format(t)
}

function observationValue(o: Json): string {
  const direct =
    quantity(o.valueQuantity) ||
    conceptText(o.valueCodeableConcept) ||
    (typeof o.valueString === 'string' ? o.valueString : '')
  if (direct) return direct
  const parts = (o.component as Json[] | undefined)?.map((c) =>
    `${conceptText(c.code)} ${quantity(c.valueQuantity) || conceptText(c.valueCodeableConcept)}`.trim(),
  )
  return parts?.join(' · ') ?? ''
}

/** One resource as a line of the records view. */
export function describeRecord(r: Json): RecordLine {
  const type = String(r.resourceType ?? '')
  const id = String(r.id ?? '')
  const base = { id, type }
  switch (type) {
    case 'Observation': {
      const flag = conceptText((r.interpretation as unknown[] | undefined)?.[0]) || undefined
      return {
        ...base,
        title: conceptText(r.code) || 'Observation',
        detail: [observationValue(r), conceptText((r.category as unknown[] | undefined)?.[0])]
          .filter(Boolean)
          .join(' — '),
        when: formatFhirDate(
          r.effectiveDateTime ?? (r.effectivePeriod as Json | undefined)?.start ?? r.issued,
        ),
        flag: flag && !/^normal$/i.test(flag) ? flag : undefined,
      }
    }
    case 'Condition': {
      const status = conceptText(r.clinicalStatus)
      return {
        ...base,
        title: conceptText(r.code) || 'Condition',
        detail: [status, conceptText(r.verificationStatus)].filter(Boolean).join(', '),
        when: formatFhirDate(r.onsetDateTime ?? r.recordedDate),
        flag: status && !/active/i.test(status) ? status : undefined,
      }
    }
    case 'AllergyIntolerance': {
      const reactions = (r.reaction as Json[] | undefined)
        ?.flatMap((x) => (x.manifestation as unknown[] | undefined) ?? [])
        .map(conceptText)
        .filter(Boolean)
      return {
        ...base,
        title: conceptText(r.code) || 'Allergy or intolerance',
        detail: [reactions?.length ? `reaction: ${reactions.join(', ')}` : '', conceptText(r.clinicalStatus)]
          .filter(Boolean)
          .join(' — '),
        when: formatFhirDate(r.onsetDateTime ?? r.recordedDate),
        flag: r.criticality === 'high' ? 'High criticality' : undefined,
      }
    }
    case 'MedicationStatement': {
      const dosage = (r.dosage as Json[] | undefined)?.[0]?.text
      return {
        ...base,
        title: conceptText(r.medicationCodeableConcept) || 'Medication',
        detail: [typeof dosage === 'string' ? dosage : '', typeof r.status === 'string' ? r.status : '']
          .filter(Boolean)
          .join(' — '),
        when: formatFhirDate(
          r.effectiveDateTime ?? (r.effectivePeriod as Json | undefined)?.start ?? r.dateAsserted,
        ),
      }
    }
    case 'Encounter': {
      const cls = r.class as Coding | undefined
      const period = r.period as Json | undefined
      return {
        ...base,
        title:
          conceptText((r.type as unknown[] | undefined)?.[0]) || cls?.display || cls?.code || 'Encounter',
        detail: [
          cls?.display ?? cls?.code ?? '',
          conceptText((r.reasonCode as unknown[] | undefined)?.[0]),
          typeof r.status === 'string' ? r.status : '',
        ]
          .filter(Boolean)
          .join(' — '),
        when: formatFhirDate(period?.start),
      }
    }
    case 'Patient': {
      const name = (r.name as Json[] | undefined)?.[0]
      const given = (name?.given as string[] | undefined)?.join(' ') ?? ''
      return {
        ...base,
        title:
          typeof name?.text === 'string'
            ? name.text
            : `${given} ${String(name?.family ?? '')}`.trim() || 'Patient',
        detail: [
          formatFhirDate(r.birthDate) ? `born ${formatFhirDate(r.birthDate)}` : '',
          typeof r.gender === 'string' ? r.gender : '',
        ]
          .filter(Boolean)
          .join(', '),
        when: undefined,
      }
    }
    default:
      return { ...base, title: type, detail: '', when: undefined }
  }
}

/** Readable names of the record types. */
export const RECORD_TYPE_LABELS: Record<string, string> = {
  Patient: 'Patient',
  Condition: 'Conditions',
  Observation: 'Observations',
  AllergyIntolerance: 'Allergies and intolerances',
  MedicationStatement: 'Medications',
  Encounter: 'Encounters',
}
