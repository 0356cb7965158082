/**
 * Claims as people read them: FHIR names, codings by display name, identifiers, addresses, dates.
 * Returns plain strings only; pages render them as text (markup in a claim stays inert).
 */

export interface ClaimRow {
  name: string
  label: string
  value: string
}

const LABELS: Record<string, string> = {
  name: 'Name',
  birthDate: 'Date of birth',
  identifier: 'Patient identifier',
  insuranceMemberId: 'Insurance member id',
  address: 'Address',
  identityAssuranceLevel: 'Identity assurance',
  profession: 'Profession',
  licenseNumber: 'Licence number',
  jurisdiction: 'Jurisdiction',
  specialty: 'Specialty',
  npi: 'NPI',
  audience: 'Hospital',
  scope: 'Records',
  purposeOfUse: 'Purpose',
  records: 'Specific records',
}

const SYSTEMS: Record<string, string> = {
  'http://snomed.info/sct': 'SNOMED CT',
  'http://nucc.org/provider-taxonomy': 'NUCC taxonomy',
  'http://loinc.org': 'LOINC',
  'http://terminology.hl7.org/CodeSystem/v3-ActReason': 'HL7 ActReason',
}

/** Display names of codes the demo uses, for codings that come without `display`. */
const KNOWN_CODES: Record<string, string> = {
  'http://nucc.org/provider-taxonomy|207R00000X': 'Internal Medicine',
  'http://nucc.org/provider-taxonomy|208D00000X': 'General Practice',
  'http://snomed.info/sct|394579002': 'Cardiology',
  'http://snomed.info/sct|394802001': 'General medicine',
  'http://snomed.info/sct|394814009': 'General practice',
}

export const PURPOSES: Record<string, string> = {
  TREAT: 'Treatment',
  ETREAT: 'Emergency treatment',
  HPAYMT: 'Payment',
  HOPERAT: 'Healthcare operations',
  PATRQT: 'Asked by the patient',
  FAMRQT: 'Asked by family',
  PWATRNY: 'Power of attorney',
  SUPNWK: 'Support network',
  CAREMGT: 'Care management',
  HRESCH: 'Research',
  PUBHLTH: 'Public health',
  BTG: 'Emergency ("break the glass")',
}

const IAL: Record<string, string> = {
  IAL1: 'IAL1 (self-asserted)',
  IAL2: 'IAL2 (identity proofed remotely or in person)',
  IAL3: 'IAL3 (identity proofed in person)',
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown) => (typeof v === 'string' ? v : undefined)

export function codingText(v: Record<string, unknown>): string {
  const system = str(v.system) ?? ''
  const code = str(v.code) ?? ''
  const display = str(v.display) ?? KNOWN_CODES[`${system}|${code}`]
  const systemName = SYSTEMS[system] ?? system
  return display ? `${display} (${systemName} ${code})` : `${systemName} ${code}`.trim()
}

function nameText(v: Record<string, unknown>): string {
  const given = Array.isArray(v.given) ? v.given.filter((g): g is string => typeof g === 'string') : []
  return [str(v.prefix), ...given, str(v.family)].filter(Boolean).join(' ')
}

function addressText(v: Record<string, unknown>): string {
  const lines = Array.isArray(v.line) ? v.line.filter((l): l is string => typeof l === 'string') : []
  return [...lines, str(v.city), str(v.state), str(v.postalCode), str(v.country)].filter(Boolean).join(', ')
}

/** One claim value as text. */
export function valueText(name: string, v: unknown): string {
  if (v === undefined || v === null) return '—'
  if (Array.isArray(v)) return v.map((x) => valueText(name, x)).join('; ')
  if (typeof v === 'string') {
    if (name === 'purposeOfUse') return PURPOSES[v] ? `${PURPOSES[v]} (${v})` : v
    if (name === 'identityAssuranceLevel') return IAL[v] ?? v
    if (name === 'scope') return scopeText(v)
    return v
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (isObject(v)) {
    if ('code' in v && 'system' in v) return codingText(v)
    if ('family' in v || 'given' in v) return nameText(v)
    if ('value' in v && 'system' in v)
      return `${str(v.value) ?? ''} (${SYSTEMS[str(v.system) ?? ''] ?? str(v.system) ?? ''})`
    if ('line' in v || 'city' in v || 'postalCode' in v) return addressText(v)
    return Object.entries(v)
      .map(([k, x]) => `${k}: ${valueText(k, x)}`)
      .join(', ')
  }
  return String(v)
}

/** `patient/Observation.rs` → "Observation (read, search)". */
export function scopeText(scope: string): string {
  const m = /^(patient|user|system)\/(\*|[A-Za-z]+)\.([cruds]+)$/.exec(scope)
  if (!m) return scope
  const verbs: Record<string, string> = { c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search' }
  const what = m[2] === '*' ? 'All record types' : m[2]
  return `${what} (${[...m[3]!].map((c) => verbs[c]).join(', ')})`
}

export function claimLabel(name: string): string {
  return LABELS[name] ?? name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase())
}

/** Every claim, in a stable order (known ones first), as label and text. */
export function claimRows(claims: Record<string, unknown>): ClaimRow[] {
  const order = Object.keys(LABELS)
  return Object.keys(claims)
    .filter((k) => k !== 'id')
    .sort((a, b) => {
      const ia = order.indexOf(a)
      const ib = order.indexOf(b)
      return (ia < 0 ? 999 : ia) - (ib < 0 ? 999 : ib) || a.localeCompare(b)
    })
    .map((name) => ({ name, label: claimLabel(name), value: valueText(name, claims[name]) }))
}

const TYPES: Record<string, string> = {
  ClinicianLicenseCredential: 'Clinician licence',
  PatientIdentityCredential: 'Patient identity',
  AccessGrantCredential: 'Access grant',
}

export function typeLabel(type: string): string {
  return TYPES[type] ?? type
}

/** A short title for a card: the holder's name when the credential states one. */
export function cardTitle(claims: Record<string, unknown>): string | undefined {
  return isObject(claims.name) ? nameText(claims.name) || undefined : undefined
}
