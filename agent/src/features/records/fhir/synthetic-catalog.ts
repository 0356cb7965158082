// Public codes (SNOMED CT, LOINC, RxNorm, UCUM, HL7 v3) the synthetic demo data draws from.

export const SNOMED = 'http://snomed.info/sct'
export const LOINC = 'http://loinc.org'
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm'
export const UCUM = 'http://unitsofmeasure.org'

export const GREEK = [
  'Alpha',
  'Beta',
  'Gamma',
  'Delta',
  'Epsilon',
  'Zeta',
  'Eta',
  'Theta',
  'Iota',
  'Kappa',
  'Lambda',
  'Mu',
  'Nu',
  'Xi',
  'Omicron',
  'Pi',
  'Rho',
  'Sigma',
  'Tau',
  'Upsilon',
  'Phi',
  'Chi',
  'Psi',
  'Omega',
] as const
export const NATO = [
  'Bravo',
  'Echo',
  'Foxtrot',
  'Golf',
  'Hotel',
  'Juliett',
  'Kilo',
  'Lima',
  'November',
  'Quebec',
  'Sierra',
  'Tango',
  'Uniform',
  'Whiskey',
  'Xray',
  'Yankee',
  'Zulu',
] as const

export interface ConditionKind {
  code: string
  display: string
  /** Chronic: on the problem list, active. Acute: an encounter diagnosis, resolved. */
  chronic: boolean
}

export const CONDITIONS: readonly ConditionKind[] = [
  { code: '44054006', display: 'Diabetes mellitus type 2', chronic: true },
  { code: '38341003', display: 'Hypertensive disorder, systemic arterial', chronic: true },
  { code: '195967001', display: 'Asthma', chronic: true },
  { code: '55822004', display: 'Hyperlipidemia', chronic: true },
  { code: '239873007', display: 'Osteoarthritis of knee', chronic: true },
  { code: '195662009', display: 'Acute viral pharyngitis', chronic: false },
  { code: '444814009', display: 'Viral sinusitis', chronic: false },
  { code: '10509002', display: 'Acute bronchitis', chronic: false },
  { code: '68566005', display: 'Urinary tract infectious disease', chronic: false },
]

export interface MedicationKind {
  code: string
  display: string
  dosage: string
  /** The condition it treats (SNOMED code); none: taken for a short while, then completed. */
  treats?: string
}

export const MEDICATIONS: readonly MedicationKind[] = [
  {
    code: '860975',
    display: '24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet',
    dosage: 'One tablet by mouth daily with the evening meal',
    treats: '44054006',
  },
  {
    code: '314076',
    display: 'lisinopril 10 MG Oral Tablet',
    dosage: 'One tablet by mouth daily',
    treats: '38341003',
  },
  {
    code: '197361',
    display: 'amlodipine 5 MG Oral Tablet',
    dosage: 'One tablet by mouth daily',
    treats: '38341003',
  },
  {
    code: '895994',
    display: '120 ACTUAT fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler',
    dosage: 'Two puffs twice daily',
    treats: '195967001',
  },
  {
    code: '745679',
    display: '200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler',
    dosage: 'Two puffs as needed for wheezing',
    treats: '195967001',
  },
  {
    code: '316672',
    display: 'simvastatin 10 MG Oral Tablet',
    dosage: 'One tablet by mouth at bedtime',
    treats: '55822004',
  },
  {
    code: '313782',
    display: 'acetaminophen 325 MG Oral Tablet',
    dosage: 'Two tablets by mouth every 6 hours as needed',
    treats: '239873007',
  },
  {
    code: '310965',
    display: 'ibuprofen 200 MG Oral Tablet',
    dosage: 'One tablet by mouth every 8 hours as needed for 5 days',
  },
]

export interface AllergyKind {
  system: string
  code: string
  display: string
  category: 'food' | 'medication' | 'environment'
}

export const ALLERGIES: readonly AllergyKind[] = [
  { system: SNOMED, code: '91935009', display: 'Allergy to peanuts', category: 'food' },
  { system: SNOMED, code: '300913006', display: 'Shellfish allergy', category: 'food' },
  { system: SNOMED, code: '91930004', display: 'Allergy to eggs', category: 'food' },
  { system: SNOMED, code: '418689008', display: 'Allergy to grass pollen', category: 'environment' },
  { system: SNOMED, code: '232347008', display: 'Dander (animal) allergy', category: 'environment' },
  { system: RXNORM, code: '7980', display: 'Penicillin G', category: 'medication' },
]

export const REACTIONS = [
  { code: '271807003', display: 'Eruption of skin', severity: 'mild' },
  { code: '247472004', display: 'Wheal', severity: 'mild' },
  { code: '49727002', display: 'Cough', severity: 'moderate' },
  { code: '267036007', display: 'Dyspnea', severity: 'severe' },
] as const

export interface MeasureKind {
  code: string
  display: string
  unit: string
  ucum: string
  low: number
  high: number
  decimals: number
}

export const VITAL_SIGNS: readonly MeasureKind[] = [
  {
    code: '8867-4',
    display: 'Heart rate',
    unit: 'beats/minute',
    ucum: '/min',
    low: 55,
    high: 100,
    decimals: 0,
  },
  {
    code: '9279-1',
    display: 'Respiratory rate',
    unit: 'breaths/minute',
    ucum: '/min',
    low: 12,
    high: 20,
    decimals: 0,
  },
  {
    code: '8310-5',
    display: 'Body temperature',
    unit: 'Cel',
    ucum: 'Cel',
    low: 36.1,
    high: 37.8,
    decimals: 1,
  },
  { code: '29463-7', display: 'Body weight', unit: 'kg', ucum: 'kg', low: 50, high: 110, decimals: 1 },
  {
    code: '59408-5',
    display: 'Oxygen saturation in Arterial blood by Pulse oximetry',
    unit: '%',
    ucum: '%',
    low: 94,
    high: 100,
    decimals: 0,
  },
]

export const BLOOD_PRESSURE = {
  panel: { code: '85354-9', display: 'Blood pressure panel with all children optional' },
  systolic: {
    code: '8480-6',
    display: 'Systolic blood pressure',
    unit: 'mmHg',
    ucum: 'mm[Hg]',
    low: 100,
    high: 150,
    decimals: 0,
  },
  diastolic: {
    code: '8462-4',
    display: 'Diastolic blood pressure',
    unit: 'mmHg',
    ucum: 'mm[Hg]',
    low: 60,
    high: 95,
    decimals: 0,
  },
} as const

/** Laboratory tests, with a normal range: values are drawn a little wider, so some are flagged. */
export const LABORATORY: readonly (MeasureKind & { normalLow: number; normalHigh: number })[] = [
  {
    code: '2339-0',
    display: 'Glucose [Mass/volume] in Blood',
    unit: 'mg/dL',
    ucum: 'mg/dL',
    low: 65,
    high: 160,
    decimals: 0,
    normalLow: 70,
    normalHigh: 140,
  },
  {
    code: '4548-4',
    display: 'Hemoglobin A1c/Hemoglobin.total in Blood',
    unit: '%',
    ucum: '%',
    low: 4.6,
    high: 8.5,
    decimals: 1,
    normalLow: 4,
    normalHigh: 5.6,
  },
  {
    code: '2160-0',
    display: 'Creatinine [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    ucum: 'mg/dL',
    low: 0.5,
    high: 1.5,
    decimals: 2,
    normalLow: 0.6,
    normalHigh: 1.3,
  },
  {
    code: '718-7',
    display: 'Hemoglobin [Mass/volume] in Blood',
    unit: 'g/dL',
    ucum: 'g/dL',
    low: 11,
    high: 17.5,
    decimals: 1,
    normalLow: 12,
    normalHigh: 17,
  },
  {
    code: '2093-3',
    display: 'Cholesterol [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    ucum: 'mg/dL',
    low: 140,
    high: 260,
    decimals: 0,
    normalLow: 0,
    normalHigh: 200,
  },
]

export const ENCOUNTER_KINDS = [
  {
    class: 'AMB',
    classDisplay: 'ambulatory',
    type: '185349003',
    typeDisplay: 'Encounter for check up',
    hours: 1,
  },
  {
    class: 'AMB',
    classDisplay: 'ambulatory',
    type: '185345009',
    typeDisplay: 'Encounter for symptom',
    hours: 1,
  },
  {
    class: 'EMER',
    classDisplay: 'emergency',
    type: '50849002',
    typeDisplay: 'Emergency room admission',
    hours: 5,
  },
  {
    class: 'VR',
    classDisplay: 'virtual',
    type: '185345009',
    typeDisplay: 'Encounter for symptom',
    hours: 0.5,
  },
] as const
