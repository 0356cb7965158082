import type { Bundle, Condition, Observation, Resource } from '@medplum/fhirtypes'
import { beforeAll, describe, expect, it } from 'vitest'
import type { RecordType } from './definitions'
import { loadFhirR4 } from './definitions'
import { FhirRequestError } from './errors'
import { searchRecords } from './search'

const P = 'p-1'
const baseUrl = 'https://h.example/fhir'
const subject = { reference: `Patient/${P}` }
const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category'

const obs = (id: string, code: string, date: string, category = 'vital-signs'): Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  category: [{ coding: [{ system: OBS_CATEGORY, code: category }] }],
  code: { coding: [{ system: 'http://loinc.org', code }] },
  subject,
  effectiveDateTime: date,
})

const observations: Observation[] = [
  obs('o1', '8867-4', '2023-12-31T23:00:00Z'),
  obs('o2', '8867-4', '2024-02-10T08:30:00Z'),
  obs('o3', '8310-5', '2024-03-01'),
  obs('o4', '2339-0', '2024-02-29T23:59:59Z', 'laboratory'),
  obs('o5', '8867-4', '2024-03-01T00:00:00Z'),
]

const condition = (id: string, status: string, onset: string): Condition => ({
  resourceType: 'Condition',
  id,
  subject,
  clinicalStatus: {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: status }],
  },
  code: { coding: [{ system: 'http://snomed.info/sct', code: '44054006' }] },
  onsetDateTime: onset,
})
const conditions = [condition('c1', 'active', '2019-05'), condition('c2', 'resolved', '2022-01-10')]

const search = (type: RecordType, query: Record<string, string | string[]>, resources: readonly Resource[]) =>
  searchRecords({ type, query, resources, patientId: P, baseUrl })
const ids = (bundle: Bundle) => bundle.entry?.map((e) => e.resource?.id)
const refusal = (run: () => unknown) => {
  try {
    run()
  } catch (e) {
    if (e instanceof FhirRequestError) return { status: e.status, issues: e.outcome.issue }
    throw e
  }
  throw new Error('accepted')
}

describe('searchRecords', () => {
  beforeAll(() => loadFhirR4())

  it('returns a searchset Bundle with total, self link and fullUrls', () => {
    const bundle = search('Observation', { code: 'http://loinc.org|8867-4', _count: '2' }, observations)
    expect(bundle).toEqual({
      resourceType: 'Bundle',
      type: 'searchset',
      total: 3,
      link: [
        { relation: 'self', url: `${baseUrl}/Observation?_count=2&code=http%3A%2F%2Floinc.org%7C8867-4` },
      ],
      entry: [
        { fullUrl: `${baseUrl}/Observation/o1`, resource: observations[0], search: { mode: 'match' } },
        { fullUrl: `${baseUrl}/Observation/o2`, resource: observations[1], search: { mode: 'match' } },
      ],
    })
  })

  it('accepts this patient by reference or id, and refuses another with 403', () => {
    for (const patient of [`Patient/${P}`, P, `${baseUrl}/Patient/${P}`]) {
      expect(search('Observation', { patient }, observations).total).toBe(5)
    }
    expect(search('Condition', { subject: `Patient/${P}` }, conditions).total).toBe(2)
    expect(refusal(() => search('Observation', { patient: 'Patient/p-2' }, observations))).toEqual({
      status: 403,
      issues: [
        {
          severity: 'error',
          code: 'forbidden',
          details: {
            text: "This token opens only patient p-1's records: leave patient out, or set it to Patient/p-1.",
          },
          expression: ['patient'],
        },
      ],
    })
    expect(
      refusal(() => search('Observation', { subject: `Patient/${P},Patient/p-2` }, observations)).status,
    ).toBe(403)
  })

  it('filters by token: code (OR list), category, clinical-status, _id, :not', () => {
    expect(ids(search('Observation', { code: '8867-4,8310-5' }, observations))).toEqual([
      'o1',
      'o2',
      'o3',
      'o5',
    ])
    expect(ids(search('Observation', { category: 'laboratory' }, observations))).toEqual(['o4'])
    expect(
      ids(search('Observation', { category: `${OBS_CATEGORY}|vital-signs`, code: '8310-5' }, observations)),
    ).toEqual(['o3'])
    expect(ids(search('Condition', { 'clinical-status': 'active' }, conditions))).toEqual(['c1'])
    expect(ids(search('Condition', { _id: 'c2' }, conditions))).toEqual(['c2'])
    expect(ids(search('Observation', { 'code:not': '8867-4' }, observations))).toEqual(['o3', 'o4'])
  })

  it('filters by date with prefixes, and month precision stays in the month', () => {
    expect(ids(search('Observation', { date: 'ge2024-01-01' }, observations))).toEqual([
      'o2',
      'o3',
      'o4',
      'o5',
    ])
    expect(ids(search('Observation', { date: 'lt2024-03' }, observations))).toEqual(['o1', 'o2', 'o4'])
    expect(ids(search('Observation', { date: '2024-02' }, observations))).toEqual(['o2', 'o4'])
    expect(ids(search('Observation', { date: ['ge2024-02', 'lt2024-03-01'] }, observations))).toEqual([
      'o2',
      'o4',
    ])
    expect(ids(search('Observation', { date: '2024-03-01' }, observations))).toEqual(['o3', 'o5'])
    // a month-precision record value: all of May 2019
    expect(ids(search('Condition', { 'onset-date': '2019-05' }, conditions))).toEqual(['c1'])
    expect(ids(search('Condition', { 'onset-date': 'ge2019-05-15' }, conditions))).toEqual(['c1', 'c2'])
    expect(ids(search('Condition', { 'onset-date': 'sa2019-05' }, conditions))).toEqual(['c2'])
  })

  it('sorts by -date and by several parameters', () => {
    expect(ids(search('Observation', { _sort: '-date' }, observations))).toEqual([
      'o3',
      'o5',
      'o4',
      'o2',
      'o1',
    ])
    expect(ids(search('Observation', { _sort: 'code,-date' }, observations))).toEqual([
      'o4',
      'o3',
      'o5',
      'o2',
      'o1',
    ])
  })

  it('applies _count (default 50) while total counts every match', () => {
    const many = Array.from({ length: 60 }, (_, i) => obs(`m${i}`, '8867-4', '2024-01-01'))
    const all = search('Observation', {}, many)
    expect([all.total, all.entry?.length]).toEqual([60, 50])
    const one = search('Observation', { _count: '1' }, many)
    expect([one.total, one.entry?.length]).toEqual([60, 1])
    for (const junk of ['0', '201', 'ten', '-1', '1.5']) {
      expect(refusal(() => search('Observation', { _count: junk }, many)).issues[0]?.expression).toEqual([
        '_count',
      ])
    }
  })

  it('refuses unknown parameters, naming each', () => {
    const { status, issues } = refusal(() =>
      search('Observation', { colour: 'red', bogus: '1', code: 'x' }, observations),
    )
    expect(status).toBe(400)
    expect(issues.map((i) => i.expression?.[0])).toEqual(['colour', 'bogus'])
    expect(issues[0]?.details?.text).toBe(
      'Unknown search parameter "colour" for Observation: see https://hl7.org/fhir/R4/observation.html#search, or leave it out.',
    )
    expect(refusal(() => search('Condition', { date: '2024' }, conditions)).issues[0]?.expression).toEqual([
      'date',
    ])
  })

  it('refuses parameters and modifiers it cannot apply', () => {
    for (const key of [
      'value-quantity',
      'code-value-quantity',
      'subject.name',
      '_has:Observation:patient:code',
      'code:text',
      'code:in',
      'subject:Patient',
      '_summary',
    ]) {
      const { status, issues } = refusal(() => search('Observation', { [key]: 'x' }, observations))
      expect(status).toBe(400)
      expect(issues[0]?.expression).toEqual([key])
    }
    expect(
      refusal(() => search('Observation', { _sort: 'value-quantity' }, observations)).issues[0]?.code,
    ).toBe('not-supported')
  })

  it('refuses a bad date, saying how to write one', () => {
    for (const date of ['ge2024-13-01', '2023-02-29', 'sw2024', 'yesterday', '2024-02-10T25:00Z']) {
      const { status, issues } = refusal(() => search('Observation', { date }, observations))
      expect(status).toBe(400)
      expect(issues[0]?.details?.text).toContain('give a date as [prefix]YYYY, YYYY-MM, YYYY-MM-DD')
    }
  })

  it('searches strings by prefix of any name part, case and accent insensitive', () => {
    const patient: Resource = {
      resourceType: 'Patient',
      id: P,
      name: [{ family: 'Synthétic', given: ['Alpha', 'Bravo'] }],
      birthDate: '1980-02-29',
    }
    for (const name of ['synth', 'SYNTHETIC', 'bra'])
      expect(search('Patient', { name }, [patient]).total).toBe(1)
    expect(search('Patient', { name: 'hetic' }, [patient]).total).toBe(0)
    expect(search('Patient', { 'name:contains': 'hetic' }, [patient]).total).toBe(1)
    expect(search('Patient', { 'family:exact': 'Synthétic' }, [patient]).total).toBe(1)
    expect(search('Patient', { 'family:exact': 'synthetic' }, [patient]).total).toBe(0)
    expect(search('Patient', { birthdate: '1980-02' }, [patient]).total).toBe(1)
    expect(search('Patient', { 'gender:missing': 'true' }, [patient]).total).toBe(1)
  })

  it('searches 100 records in well under 2 ms', () => {
    const hundred = Array.from({ length: 100 }, (_, i) =>
      obs(
        `b${i}`,
        i % 3 ? '8867-4' : '8310-5',
        `2024-0${1 + (i % 9)}-1${i % 10}`,
        i % 2 ? 'vital-signs' : 'laboratory',
      ),
    )
    const query = {
      patient: `Patient/${P}`,
      code: 'http://loinc.org|8867-4',
      date: 'ge2024-03',
      _sort: '-date',
    }
    for (let i = 0; i < 50; i++) search('Observation', query, hundred)
    const runs = 200
    const start = performance.now()
    for (let i = 0; i < runs; i++) search('Observation', query, hundred)
    expect((performance.now() - start) / runs).toBeLessThan(2)
  })
})
