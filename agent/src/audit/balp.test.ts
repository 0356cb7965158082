import { OperationOutcomeError, operationOutcomeToString, validateResource } from '@medplum/core'
import type {
  AuditEventAgent,
  AuditEventEntity,
  Coding,
  AuditEvent as FhirAuditEvent,
} from '@medplum/fhirtypes'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadFhirR4 } from '../features/records/fhir/definitions'
import type { AuditEvent } from './audit'
import {
  type AuditTrailEntry,
  BALP_PROFILES,
  type BalpContext,
  CLAVIS_SYSTEMS,
  toAuditEvent,
  toAuditEventBundle,
} from './balp'
import { type ChainEntry, nextEntry, verifyChain } from './chain'

const SITE = 'https://agent.hospital.example'
const HOSPITAL = '3f0c2a57-1d7e-4b8e-9a41-6a1f0d6c2b10'
const HOSPITAL_DID = 'did:ethr:0x7a69:0x03f1b6c0a2e44f2d8e9b5a7c6d3e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f'
const BOARD = '9b2e4c11-5a3f-4d6e-8c7b-0e1f2a3b4c5d'
const BOARD_DID = 'did:ethr:0x7a69:0x02a4c6e8f0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a6'
const CLINICIAN_DID = 'did:ethr:0x7a69:0x02c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2'
const PATIENT_DID = 'did:ethr:0x7a69:0x03e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8'
const PATIENT = 'pat-0042'
const TOKEN_ID = 'b7d4f1a2-3c5e-4f60-8a9b-1c2d3e4f5a6b'
const GRANT_ID = 'urn:uuid:5e0c9a1b-2d3e-4f5a-8b6c-7d8e9f0a1b2c'
const LICENCE_ID = 'c4a1e7f2-8b3d-4e5f-9a0b-1c2d3e4f5a6b'
const REQUEST_ID = 'e2d3c4b5-a697-4881-9c0d-1e2f3a4b5c6d'

const context: BalpContext = {
  site: SITE,
  didOf: (id) => ({ [HOSPITAL]: HOSPITAL_DID, [BOARD]: BOARD_DID })[id],
}

const DCM = 'http://dicom.nema.org/resources/ontology/DCM'
const BALP = 'https://profiles.ihe.net/ITI/BALP'
const TERM = 'http://terminology.hl7.org/CodeSystem'
const ACT_REASON = `${TERM}/v3-ActReason`
const RESOURCE = 'Observation/obs-88'

/** A realistic event of every kind: a kind added to the union fails typecheck here until it has one. */
const samples: { [K in AuditEvent['kind']]: AuditEvent & { kind: K } } = {
  'organisation.created': {
    kind: 'organisation.created',
    organisationId: HOSPITAL,
    did: HOSPITAL_DID,
    organisationKind: 'hospital',
  },
  'organisation.token_reset': { kind: 'organisation.token_reset', organisationId: HOSPITAL },
  'credential.issued': {
    kind: 'credential.issued',
    organisationId: BOARD,
    credentialId: LICENCE_ID,
    type: 'ClinicianLicenseCredential',
    format: 'dc+sd-jwt',
    subjectDid: CLINICIAN_DID,
  },
  'credential.status_changed': {
    kind: 'credential.status_changed',
    organisationId: BOARD,
    credentialId: LICENCE_ID,
    action: 'suspend',
    status: 'suspended',
  },
  'trust.added': {
    kind: 'trust.added',
    organisationId: HOSPITAL,
    issuer: BOARD_DID,
    types: ['ClinicianLicenseCredential'],
  },
  'trust.removed': {
    kind: 'trust.removed',
    organisationId: HOSPITAL,
    issuer: BOARD_DID,
    types: ['ClinicianLicenseCredential', 'PatientIdentityCredential'],
  },
  'did.changed': {
    kind: 'did.changed',
    organisationId: HOSPITAL,
    operation: 'rotate',
    operationId: '0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a',
  },
  'status_list.uploaded': { kind: 'status_list.uploaded', did: PATIENT_DID, name: 'grants' },
  'offer.created': {
    kind: 'offer.created',
    organisationId: BOARD,
    offerId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
    type: 'ClinicianLicenseCredential',
    configurations: ['ClinicianLicenseCredential_dc+sd-jwt', 'ClinicianLicenseCredential_jwt_vc_json'],
  },
  'offer.redeemed': {
    kind: 'offer.redeemed',
    organisationId: BOARD,
    offerId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
  },
  'offer.locked': {
    kind: 'offer.locked',
    organisationId: BOARD,
    offerId: 'f0e1d2c3-b4a5-4968-8776-655443322110',
  },
  'verification.decided': {
    kind: 'verification.decided',
    verifier: HOSPITAL,
    what: 'credential',
    valid: false,
    checks: {
      signature: { passed: true },
      expiry: { passed: true },
      status: { passed: false, code: 'revoked' },
      issuerTrust: { passed: true },
    },
    issuer: BOARD_DID,
    type: 'ClinicianLicenseCredential',
  },
  'patient.registered': { kind: 'patient.registered', organisationId: HOSPITAL, patientId: PATIENT },
  'patient.linked': {
    kind: 'patient.linked',
    organisationId: HOSPITAL,
    patientId: PATIENT,
    patientDid: PATIENT_DID,
  },
  'records.stored': {
    kind: 'records.stored',
    organisationId: HOSPITAL,
    patientId: PATIENT,
    resources: [`Patient/${PATIENT}`, RESOURCE, 'Condition/cond-7'],
  },
  'access.decided': {
    kind: 'access.decided',
    organisationId: HOSPITAL,
    clinicianDid: CLINICIAN_DID,
    patientId: PATIENT,
    permitted: false,
    reason: 'grant_revoked',
    checks: { licence: { passed: true }, grant: { passed: false, code: 'grant_revoked' } },
    licenceId: LICENCE_ID,
    grantId: GRANT_ID,
    purposeOfUse: 'TREAT',
    breakGlass: false,
  },
  'access.token_issued': {
    kind: 'access.token_issued',
    organisationId: HOSPITAL,
    tokenId: TOKEN_ID,
    clinicianDid: CLINICIAN_DID,
    patientId: PATIENT,
    scopes: ['patient/Observation.rs', 'patient/Condition.rs'],
    expiresAt: '2027-01-05T11:21:33.000Z',
    purposeOfUse: 'TREAT',
    breakGlass: false,
  },
  'access.break_glass': {
    kind: 'access.break_glass',
    organisationId: HOSPITAL,
    clinicianDid: CLINICIAN_DID,
    patientId: PATIENT,
    requestId: REQUEST_ID,
    reason: 'Unconscious patient in A&E, no grant on file',
    expiresAt: '2027-01-05T10:51:33.000Z',
  },
  'record.read': {
    kind: 'record.read',
    organisationId: HOSPITAL,
    tokenId: TOKEN_ID,
    clinicianDid: CLINICIAN_DID,
    patientId: PATIENT,
    interaction: 'read',
    resourceType: 'Observation',
    resources: [RESOURCE],
    purposeOfUse: 'TREAT',
    breakGlass: false,
  },
  'record.refused': {
    kind: 'record.refused',
    organisationId: HOSPITAL,
    tokenId: TOKEN_ID,
    clinicianDid: CLINICIAN_DID,
    patientId: PATIENT,
    resourceType: 'MedicationStatement',
    reason: 'out_of_scope',
  },
  'grant.delivered': {
    kind: 'grant.delivered',
    organisationId: HOSPITAL,
    recipientDid: CLINICIAN_DID,
    messageId: '7c6b5a49-3827-4165-9f0e-d1c2b3a49586',
  },
  'access_report.read': { kind: 'access_report.read', organisationId: HOSPITAL, patientId: PATIENT },
}

const AT = '2027-01-05T10:21:33.120Z'
const HASH = 'a3'.repeat(32)

const entry = (event: AuditEvent, seq = 1041): AuditTrailEntry => ({ seq, at: AT, hash: HASH, event })
const fhir = (event: AuditEvent): FhirAuditEvent => toAuditEvent(entry(event), context)

/** Passes medplum's R4 validation, or fails the test with its issues. */
function expectValid(resource: FhirAuditEvent | ReturnType<typeof toAuditEventBundle>): void {
  try {
    validateResource(resource)
  } catch (e) {
    if (e instanceof OperationOutcomeError) expect.fail(operationOutcomeToString(e.outcome))
    throw e
  }
}

/** FHIR JSON has no null, undefined, empty string, array or object (medplum lets some through). */
function expectNoEmpties(value: unknown, path = '$'): void {
  expect(value, path).not.toBeUndefined()
  expect(value, path).not.toBeNull()
  if (typeof value === 'string') expect(value.trim(), path).not.toBe('')
  if (Array.isArray(value)) {
    expect(value.length, path).toBeGreaterThan(0)
    for (const [i, v] of value.entries()) expectNoEmpties(v, `${path}[${i}]`)
  } else if (value && typeof value === 'object') {
    expect(Object.keys(value).length, path).toBeGreaterThan(0)
    for (const [k, v] of Object.entries(value)) expectNoEmpties(v, `${path}.${k}`)
  }
}

/** Every string the event holds. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(stringsOf)
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsOf)
  return []
}

const codeOf = (c: { coding?: Coding[] } | undefined) => c?.coding?.map((x) => `${x.system}|${x.code}`)
const key = (c: Coding | undefined) => (c ? `${c.system}|${c.code}` : undefined)
const agentWith = (r: FhirAuditEvent, system: string, code: string): AuditEventAgent | undefined =>
  r.agent.find((a) => a.type?.coding?.some((c) => c.system === system && c.code === code))
const entityWith = (r: FhirAuditEvent, system: string, code: string): AuditEventEntity[] =>
  (r.entity ?? []).filter((e) => e.type?.system === system && e.type.code === code)
const patientEntities = (r: FhirAuditEvent) =>
  (r.entity ?? []).filter((e) => key(e.role) === `${TERM}/object-role|1`)
const purposeCodes = (ccs: { coding?: Coding[] }[] | undefined) =>
  (ccs ?? []).flatMap((cc) => cc.coding ?? []).map((c) => `${c.system}|${c.code}`)
const tagOf = (r: FhirAuditEvent, system: string) => r.meta?.tag?.find((t) => t.system === system)?.code

const UNKNOWN = {
  extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' }],
}

beforeAll(() => {
  loadFhirR4()
})

describe('audit trail → FHIR R4 AuditEvent (IHE BALP)', () => {
  it.each(Object.values(samples))(
    '$kind maps to a valid AuditEvent with the entry and the source',
    (event) => {
      const r = fhir(event)
      expectValid(r)
      expectNoEmpties(r)
      expect(JSON.parse(JSON.stringify(r))).toEqual(r) // no undefined members
      expect(r.id).toBe('clavis-audit-1041')
      expect(r.recorded).toBe(AT)
      expect(tagOf(r, CLAVIS_SYSTEMS.chainHash)).toBe(HASH)
      expect(tagOf(r, CLAVIS_SYSTEMS.eventKind)).toBe(event.kind)
      expect(r.source.site).toBe(SITE)
      // The codes medplum does not check (required bindings).
      expect(['C', 'R', 'U', 'D', 'E']).toContain(r.action)
      expect(['0', '4', '8', '12']).toContain(r.outcome)
      for (const a of r.agent)
        if (a.network?.type) expect(['1', '2', '3', '4', '5']).toContain(a.network.type)
      expect(r.type.system).toMatch(/^http:\/\/(dicom\.nema\.org|terminology\.hl7\.org)\//)
      expect(r.agent.length).toBeGreaterThan(0)
    },
  )

  it('observes as the organisation (its DID), else as the agent (its URL)', () => {
    expect(fhir(samples['record.read']).source.observer).toEqual({
      type: 'Organization',
      identifier: { system: 'urn:ietf:rfc:3986', value: HOSPITAL_DID },
    })
    const device = { type: 'Device', identifier: { system: 'urn:ietf:rfc:3986', value: SITE } }
    expect(fhir(samples['status_list.uploaded']).source.observer).toEqual(device)
    expect(fhir({ ...samples['verification.decided'], verifier: undefined }).source.observer).toEqual(device)
    const unknownOrg = toAuditEvent(
      entry({ kind: 'organisation.token_reset', organisationId: 'gone' }),
      context,
    )
    expect(unknownOrg.source.observer).toEqual(device)
    expect(unknownOrg.entity?.[0]?.what).toEqual({
      type: 'Organization',
      identifier: { system: CLAVIS_SYSTEMS.organisation, value: 'gone' },
    })
    expectValid(unknownOrg)
  })

  it('record.read (read) is a PatientRead with the OAuth token of the clinician', () => {
    const r = fhir(samples['record.read'])
    expect(r.meta?.profile).toEqual([BALP_PROFILES.patientRead, BALP_PROFILES.oauthTokenUseMinimal])
    expect(r.meta?.profile?.[0]).toBe(`${BALP}/StructureDefinition/IHE.BasicAudit.PatientRead`)
    expect(key(r.type)).toBe(`${TERM}/audit-event-type|rest`)
    expect(r.subtype?.map(key)).toEqual(['http://hl7.org/fhir/restful-interaction|read'])
    expect(r.action).toBe('R')
    expect(r.outcome).toBe('0')
    expect(purposeCodes(r.purposeOfEvent)).toEqual([`${ACT_REASON}|TREAT`])
    // Data flows server → client: the client is the destination.
    const clientAgent = agentWith(r, DCM, '110152')
    expect(clientAgent).toMatchObject({ requestor: false, network: UNKNOWN })
    expect(clientAgent?.who?.identifier?.value).toBe(CLINICIAN_DID)
    expect(agentWith(r, DCM, '110153')).toMatchObject({
      who: { identifier: { value: HOSPITAL_DID } },
      network: { address: SITE, type: '5' },
      requestor: false,
    })
    const user = agentWith(r, `${TERM}/v3-ParticipationType`, 'IRCP')
    expect(codeOf(user?.type)).toEqual([
      `${TERM}/v3-ParticipationType|IRCP`,
      `${BALP}/CodeSystem/UserAgentTypes|UserOauthAgent`,
    ])
    expect(user).toMatchObject({
      requestor: true,
      who: { type: 'Practitioner', identifier: { system: 'urn:ietf:rfc:3986', value: CLINICIAN_DID } },
      policy: [`urn:ietf:params:oauth:jti:${TOKEN_ID}`],
    })
    expect(purposeCodes(user?.purposeOfUse)).toEqual([`${ACT_REASON}|TREAT`])
    expect(patientEntities(r)).toEqual([
      {
        what: { reference: `Patient/${PATIENT}` },
        type: { system: `${TERM}/audit-entity-type`, code: '1', display: 'Person' },
        role: { system: `${TERM}/object-role`, code: '1', display: 'Patient' },
      },
    ])
    const data = entityWith(r, `${TERM}/audit-entity-type`, '2')
    expect(data.map((e) => [e.what?.reference, key(e.role)])).toEqual([[RESOURCE, `${TERM}/object-role|4`]])
  })

  it('record.read of several resources has one data entity each, and then claims no PatientRead', () => {
    const r = fhir({ ...samples['record.read'], resources: [RESOURCE, 'Observation/obs-89'] })
    expectValid(r)
    expect(r.meta?.profile).toEqual([BALP_PROFILES.oauthTokenUseMinimal])
    expect(entityWith(r, `${TERM}/audit-entity-type`, '2').map((e) => e.what?.reference)).toEqual([
      RESOURCE,
      'Observation/obs-89',
    ])
  })

  it('record.read under break-glass adds BTG to the purposes', () => {
    const r = fhir({ ...samples['record.read'], purposeOfUse: 'ETREAT', breakGlass: true })
    expectValid(r)
    expect(purposeCodes(r.purposeOfEvent)).toEqual([`${ACT_REASON}|ETREAT`, `${ACT_REASON}|BTG`])
    const user = agentWith(r, `${TERM}/v3-ParticipationType`, 'IRCP')
    expect(purposeCodes(user?.purposeOfUse)).toEqual([`${ACT_REASON}|ETREAT`, `${ACT_REASON}|BTG`])
  })

  it('record.read (search) is a PatientQuery naming parameter names only', () => {
    const search: AuditEvent = {
      ...samples['record.read'],
      interaction: 'search',
      resources: [RESOURCE, 'Observation/obs-89'],
      parameters: ['patient', 'category', 'date'],
    }
    const r = fhir(search)
    expectValid(r)
    expectNoEmpties(r)
    expect(r.meta?.profile).toEqual([BALP_PROFILES.patientQuery, BALP_PROFILES.oauthTokenUseMinimal])
    expect(key(r.type)).toBe(`${TERM}/audit-event-type|rest`)
    expect(r.subtype?.map(key)).toEqual(['http://hl7.org/fhir/restful-interaction|search-type'])
    expect(r.action).toBe('E')
    expect(r.outcome).toBe('0')
    // Queries flow client → server: the client is the source, the server the destination.
    expect(agentWith(r, DCM, '110153')?.who?.identifier?.value).toBe(CLINICIAN_DID)
    expect(agentWith(r, DCM, '110152')?.who?.identifier?.value).toBe(HOSPITAL_DID)
    const query = r.entity?.filter((e) => key(e.role) === `${TERM}/object-role|24`)
    expect(query).toEqual([
      {
        type: { system: `${TERM}/audit-entity-type`, code: '2', display: 'System Object' },
        role: { system: `${TERM}/object-role`, code: '24', display: 'Query' },
        description: 'Observation?patient&category&date',
        query: Buffer.from('Observation?patient&category&date').toString('base64'),
      },
    ])
    expect(Buffer.from(query![0]!.query!, 'base64').toString()).toBe('Observation?patient&category&date')
    // One query entity of type 2 (PatientQuery's slice is 1..1); results are typed by resource type.
    expect(entityWith(r, `${TERM}/audit-entity-type`, '2')).toHaveLength(1)
    expect(
      entityWith(r, 'http://hl7.org/fhir/resource-types', 'Observation').map((e) => e.what?.reference),
    ).toEqual([RESOURCE, 'Observation/obs-89'])
    expect(patientEntities(r).map((e) => e.what?.reference)).toEqual([`Patient/${PATIENT}`])
    const noParameters = fhir({ ...search, parameters: undefined, resources: [] })
    expectValid(noParameters)
    expect(noParameters.entity?.find((e) => e.query)?.description).toBe('Observation')
  })

  it('access.decided (deny) is an AuthZconsent with the reason, the grant as consent and the licence as policy', () => {
    const r = fhir(samples['access.decided'])
    expect(r.meta?.profile).toEqual([`${BALP}/StructureDefinition/IHE.BasicAudit.AuthZconsent`])
    expect(key(r.type)).toBe(`${DCM}|110113`)
    expect(r.subtype?.map(key)).toEqual([`${BALP}/CodeSystem/AuthZsubType|AuthZ-Consent`])
    expect(r.action).toBe('E')
    expect(r.outcome).toBe('8')
    expect(r.outcomeDesc).toBe('grant_revoked')
    expect(purposeCodes(r.purposeOfEvent)).toEqual([`${ACT_REASON}|TREAT`])
    expect(r.source.type?.map(key)).toEqual([`${TERM}/security-source-type|6`])
    expect(agentWith(r, DCM, '110150')).toMatchObject({ network: UNKNOWN, requestor: false })
    expect(agentWith(r, `${TERM}/v3-ParticipationType`, 'IRCP')).toMatchObject({
      who: { identifier: { value: CLINICIAN_DID } },
      requestor: true,
      policy: [`urn:uuid:${LICENCE_ID}`],
    })
    expect(agentWith(r, `${TERM}/v3-RoleClass`, 'PROV')).toMatchObject({ who: UNKNOWN, requestor: false })
    // BALP: the authorizer is the one who recorded the event.
    expect(agentWith(r, `${TERM}/extra-security-role-type`, 'authserver')?.who).toEqual(r.source.observer)
    // Closed entity slicing: the patient and the consent, nothing else.
    expect(r.entity).toHaveLength(2)
    expect(patientEntities(r).map((e) => e.what?.reference)).toEqual([`Patient/${PATIENT}`])
    expect(entityWith(r, 'http://hl7.org/fhir/resource-types', 'Consent')).toEqual([
      {
        what: { identifier: { system: 'urn:ietf:rfc:3986', value: GRANT_ID } },
        type: { system: 'http://hl7.org/fhir/resource-types', code: 'Consent', display: 'Consent' },
      },
    ])
  })

  it('access.decided (permit) has outcome 0 and no outcomeDesc; break-glass adds BTG; without a grant no profile', () => {
    const permit = fhir({ ...samples['access.decided'], permitted: true, reason: undefined })
    expectValid(permit)
    expect(permit.outcome).toBe('0')
    expect(permit.outcomeDesc).toBeUndefined()
    const glass = fhir({
      ...samples['access.decided'],
      permitted: true,
      reason: undefined,
      grantId: undefined,
      purposeOfUse: 'ETREAT',
      breakGlass: true,
    })
    expectValid(glass)
    expect(glass.meta?.profile).toBeUndefined()
    expect(key(glass.type)).toBe(`${DCM}|110113`)
    expect(purposeCodes(glass.purposeOfEvent)).toEqual([`${ACT_REASON}|ETREAT`, `${ACT_REASON}|BTG`])
    expect(entityWith(glass, 'http://hl7.org/fhir/resource-types', 'Consent')).toEqual([])
    const anonymous = fhir({
      ...samples['access.decided'],
      clinicianDid: undefined,
      patientId: undefined,
      reason: undefined,
    })
    expectValid(anonymous)
    expect(anonymous.meta?.profile).toBeUndefined()
    expect(anonymous.outcomeDesc).toBe('grant: grant_revoked')
    expect(agentWith(anonymous, `${TERM}/v3-ParticipationType`, 'IRCP')?.who).toEqual(UNKNOWN)
    // A refused emergency is recorded with purposeOfUse BTG and breakGlass: BTG once.
    const emergency = fhir({
      ...samples['access.decided'],
      grantId: undefined,
      purposeOfUse: 'BTG',
      breakGlass: true,
    })
    expect(purposeCodes(emergency.purposeOfEvent)).toEqual([`${ACT_REASON}|BTG`])
  })

  it('access.break_glass is a Security Alert / Emergency Override Started for BTG', () => {
    const r = fhir(samples['access.break_glass'])
    expect(r.meta?.profile).toBeUndefined()
    expect(key(r.type)).toBe(`${DCM}|110113`)
    expect(r.subtype).toEqual([{ system: DCM, code: '110127', display: 'Emergency Override Started' }])
    expect(r.action).toBe('E')
    expect(r.outcome).toBe('0')
    expect(purposeCodes(r.purposeOfEvent)).toEqual([`${ACT_REASON}|BTG`, `${ACT_REASON}|ETREAT`])
    const user = agentWith(r, `${TERM}/v3-ParticipationType`, 'IRCP')
    expect(purposeCodes(user?.purposeOfUse)).toEqual([`${ACT_REASON}|BTG`])
    expect(user?.who?.identifier?.value).toBe(CLINICIAN_DID)
    expect(user?.policy).toBeUndefined()
    expect(agentWith(r, `${TERM}/extra-security-role-type`, 'authserver')?.who).toEqual(r.source.observer)
    expect(patientEntities(r).map((e) => e.what?.reference)).toEqual([`Patient/${PATIENT}`])
    // The reason the clinician wrote, on the access request it was declared in.
    expect(r.entity?.[1]).toEqual({
      what: { identifier: { system: CLAVIS_SYSTEMS.accessRequest, value: REQUEST_ID } },
      type: { system: `${TERM}/audit-entity-type`, code: '2', display: 'System Object' },
      description: 'Unconscious patient in A&E, no grant on file',
      detail: [{ type: 'expiresAt', valueString: '2027-01-05T10:51:33.000Z' }],
    })
  })

  it('access.token_issued uses the ITI-71 Get Access Token codes and names the token by its jti', () => {
    const r = fhir(samples['access.token_issued'])
    expect(r.meta?.profile).toBeUndefined()
    expect(key(r.type)).toBe(`${DCM}|110114`)
    expect(r.subtype?.map(key)).toEqual(['urn:ihe:event-type-code|ITI-71'])
    expect(r.action).toBe('E')
    expect(r.outcome).toBe('0')
    expect(purposeCodes(r.purposeOfEvent)).toEqual([`${ACT_REASON}|TREAT`])
    expect(
      agentWith(r, `${BALP}/CodeSystem/UserAgentTypes`, 'AuthzOauthService')?.who?.identifier?.value,
    ).toBe(HOSPITAL_DID)
    expect(agentWith(r, DCM, '110150')?.who?.identifier?.value).toBe(CLINICIAN_DID)
    const token = r.entity?.find((e) => key(e.role) === `${TERM}/object-role|13`)
    expect(token?.what?.identifier?.value).toBe(`urn:ietf:params:oauth:jti:${TOKEN_ID}`)
    expect(token?.detail).toEqual([
      { type: 'scope', valueString: 'patient/Observation.rs' },
      { type: 'scope', valueString: 'patient/Condition.rs' },
      { type: 'expiresAt', valueString: '2027-01-05T11:21:33.000Z' },
    ])
    const glass = fhir({ ...samples['access.token_issued'], purposeOfUse: 'ETREAT', breakGlass: true })
    expect(purposeCodes(glass.purposeOfEvent)).toEqual([`${ACT_REASON}|ETREAT`, `${ACT_REASON}|BTG`])
  })

  it('record.refused is a failed RESTful request with the reason', () => {
    const r = fhir(samples['record.refused'])
    expect(key(r.type)).toBe(`${TERM}/audit-event-type|rest`)
    expect(r.subtype).toBeUndefined()
    expect(r.action).toBe('R')
    expect(r.outcome).toBe('4')
    expect(r.outcomeDesc).toBe('out_of_scope')
    expect(agentWith(r, `${TERM}/v3-ParticipationType`, 'IRCP')?.policy).toEqual([
      `urn:ietf:params:oauth:jti:${TOKEN_ID}`,
    ])
    expect(patientEntities(r)).toHaveLength(1)
    expect(r.entity?.find((e) => e.description === 'MedicationStatement')).toBeDefined()
    // No token at all (the route records organisationId ''): nobody is named, nothing is invented,
    // and the server and the observer are the agent itself.
    const bare = fhir({ kind: 'record.refused', organisationId: '', reason: 'invalid_token' })
    expectValid(bare)
    expectNoEmpties(bare)
    expect(bare.entity).toBeUndefined()
    const agentItself = { type: 'Device', identifier: { system: 'urn:ietf:rfc:3986', value: SITE } }
    expect(bare.source.observer).toEqual(agentItself)
    expect(agentWith(bare, DCM, '110153')?.who).toEqual(agentItself)
    expect(agentWith(bare, `${TERM}/v3-ParticipationType`, 'IRCP')).toEqual({
      type: {
        coding: [{ system: `${TERM}/v3-ParticipationType`, code: 'IRCP', display: 'information recipient' }],
      },
      who: UNKNOWN,
      requestor: true,
    })
  })

  it.each([
    ['organisation.created', `${DCM}|110113`, `${DCM}|110137`, 'C'],
    ['organisation.token_reset', `${DCM}|110113`, `${DCM}|110137`, 'U'],
    ['credential.issued', `${DCM}|110100`, undefined, 'C'],
    ['credential.status_changed', `${DCM}|110113`, `${DCM}|110135`, 'U'],
    ['trust.added', `${DCM}|110113`, `${DCM}|110129`, 'C'],
    ['trust.removed', `${DCM}|110113`, `${DCM}|110129`, 'D'],
    ['did.changed', `${DCM}|110113`, `${DCM}|110135`, 'U'],
    ['status_list.uploaded', `${DCM}|110107`, undefined, 'C'],
    ['offer.created', `${DCM}|110100`, undefined, 'C'],
    ['offer.redeemed', `${DCM}|110114`, 'urn:ihe:event-type-code|ITI-71', 'E'],
    ['offer.locked', `${DCM}|110114`, 'urn:ihe:event-type-code|ITI-71', 'E'],
    ['verification.decided', `${DCM}|110100`, undefined, 'E'],
    ['patient.registered', `${DCM}|110110`, undefined, 'C'],
    ['patient.linked', `${DCM}|110110`, undefined, 'U'],
    ['records.stored', `${DCM}|110110`, undefined, 'C'],
    ['grant.delivered', `${DCM}|110107`, undefined, 'C'],
    ['access_report.read', `${DCM}|110101`, undefined, 'R'],
  ] as const)('%s is %s / %s, action %s, with no BALP profile', (kind, type, subtype, action) => {
    const r = fhir(samples[kind])
    expect(key(r.type)).toBe(type)
    expect(r.subtype?.map(key)).toEqual(subtype ? [subtype] : undefined)
    expect(r.action).toBe(action)
    expect(r.meta?.profile).toBeUndefined()
  })

  it('names the identifiers each event holds as entities', () => {
    const whats = (kind: AuditEvent['kind']) => (fhir(samples[kind]).entity ?? []).map((e) => e.what)
    const uri = (value: string) => ({ identifier: { system: 'urn:ietf:rfc:3986', value } })
    expect(whats('organisation.created')).toEqual([{ type: 'Organization', ...uri(HOSPITAL_DID) }])
    expect(whats('credential.issued')).toEqual([uri(`urn:uuid:${LICENCE_ID}`), uri(CLINICIAN_DID)])
    expect(whats('credential.status_changed')).toEqual([uri(`urn:uuid:${LICENCE_ID}`)])
    expect(whats('trust.added')).toEqual([uri(BOARD_DID)])
    expect(whats('did.changed')).toEqual([
      { type: 'Organization', ...uri(HOSPITAL_DID) },
      { identifier: { system: CLAVIS_SYSTEMS.didOperation, value: samples['did.changed'].operationId } },
    ])
    expect(whats('status_list.uploaded')).toEqual([uri(PATIENT_DID)])
    expect(whats('access.break_glass')).toEqual([
      { reference: `Patient/${PATIENT}` },
      { identifier: { system: CLAVIS_SYSTEMS.accessRequest, value: REQUEST_ID } },
    ])
    expect(whats('offer.created')).toEqual([
      { identifier: { system: CLAVIS_SYSTEMS.offer, value: samples['offer.created'].offerId } },
    ])
    expect(whats('patient.registered')).toEqual([{ reference: `Patient/${PATIENT}` }])
    expect(whats('patient.linked')).toEqual([{ reference: `Patient/${PATIENT}`, ...uri(PATIENT_DID) }])
    expect(whats('records.stored')).toEqual([
      { reference: `Patient/${PATIENT}` },
      { reference: `Patient/${PATIENT}` },
      { reference: RESOURCE },
      { reference: 'Condition/cond-7' },
    ])
    expect(whats('grant.delivered')).toEqual([
      { identifier: { system: CLAVIS_SYSTEMS.inboxMessage, value: samples['grant.delivered'].messageId } },
    ])
    expect(whats('access_report.read')).toEqual([{ reference: `Patient/${PATIENT}` }])
    expect(fhir(samples['trust.removed']).entity?.[0]?.detail).toEqual([
      { type: 'credentialType', valueString: 'ClinicianLicenseCredential' },
      { type: 'credentialType', valueString: 'PatientIdentityCredential' },
    ])
  })

  it('verification.decided says which checks failed (by name, as the chain sorts them); a presentation is a User Authentication', () => {
    const r = fhir(samples['verification.decided'])
    expect(r.outcome).toBe('4')
    expect(r.outcomeDesc).toBe('status: revoked')
    expect(r.entity?.[0]?.detail).toEqual([
      { type: 'credentialType', valueString: 'ClinicianLicenseCredential' },
      { type: 'check.expiry', valueString: 'passed' },
      { type: 'check.issuerTrust', valueString: 'passed' },
      { type: 'check.signature', valueString: 'passed' },
      { type: 'check.status', valueString: 'failed: revoked' },
    ])
    const presentation = fhir({
      kind: 'verification.decided',
      verifier: HOSPITAL,
      what: 'presentation',
      valid: true,
      checks: { signature: { passed: true }, nonce: { passed: true } },
    })
    expectValid(presentation)
    expect(key(presentation.type)).toBe(`${DCM}|110114`)
    expect(presentation.outcome).toBe('0')
    expect(presentation.outcomeDesc).toBeUndefined()
  })

  it('offer.locked is a failed token request', () => {
    const r = fhir(samples['offer.locked'])
    expect(r.outcome).toBe('4')
    expect(r.outcomeDesc).toBe('wrong transaction code: the offer is locked')
    expect(fhir(samples['offer.redeemed']).outcome).toBe('0')
  })

  it('invents no identifier: every one comes from the event, the context or the chain', () => {
    for (const event of Object.values(samples)) {
      const held = [...stringsOf(event), SITE, HOSPITAL_DID, BOARD_DID, HASH]
      const r = fhir(event)
      const named = [
        ...stringsOf(
          r.agent.map((a) => [a.who?.identifier?.value, a.who?.reference, a.policy, a.network?.address]),
        ),
        ...stringsOf((r.entity ?? []).map((e) => [e.what?.identifier?.value, e.what?.reference])),
        ...stringsOf(r.source.observer.identifier?.value),
      ]
      for (const value of named)
        expect(
          held.some((h) => value.endsWith(h)),
          `${event.kind}: ${value}`,
        ).toBe(true)
    }
  })

  it('an unknown kind is refused at run time too', () => {
    expect(() => toAuditEvent(entry({ kind: 'record.deleted' } as unknown as AuditEvent), context)).toThrow(
      /record\.deleted/,
    )
  })
})

describe('audit trail → FHIR Bundle', () => {
  /** A chain of every sample, as the trail stores it. */
  function chain(): { stored: ChainEntry[]; entries: AuditTrailEntry[] } {
    const stored: ChainEntry[] = []
    const entries: AuditTrailEntry[] = []
    Object.values(samples).forEach((event, i) => {
      const at = new Date(Date.UTC(2027, 0, 5, 10, 0, i)).toISOString()
      const e = nextEntry(stored.at(-1), at, event as unknown as Record<string, unknown>)
      stored.push(e)
      entries.push({ seq: e.seq, at, hash: e.hash, event })
    })
    return { stored, entries }
  }

  it('is a valid collection, one AuditEvent per entry in order, each checkable against the chain', () => {
    const { stored, entries } = chain()
    const bundle = toAuditEventBundle(entries, context, { baseUrl: `${SITE}/fhir/` })
    expectValid(bundle)
    expectNoEmpties(bundle)
    expect(bundle.type).toBe('collection')
    expect(bundle.total).toBeUndefined()
    expect(bundle.entry).toHaveLength(stored.length)
    expect(verifyChain(stored).ok).toBe(true)
    const byHash = new Map(stored.map((e) => [e.hash, e]))
    bundle.entry?.forEach((item, i) => {
      const resource = item.resource!
      expect(item.fullUrl).toBe(`${SITE}/fhir/AuditEvent/clavis-audit-${i + 1}`)
      const hash = tagOf(resource, CLAVIS_SYSTEMS.chainHash)!
      const stored = byHash.get(hash)!
      // The hash names the entry; the entry maps back to this very resource.
      expect(resource.id).toBe(`clavis-audit-${stored.seq}`)
      const content = JSON.parse(stored.data) as { at: string; event: AuditEvent }
      expect(toAuditEvent({ seq: stored.seq, at: content.at, hash, event: content.event }, context)).toEqual(
        resource,
      )
    })
  })

  it('without a base URL has no fullUrl; with no entries it is an empty collection', () => {
    const { entries } = chain()
    const bundle = toAuditEventBundle(entries.slice(0, 2), context)
    expectValid(bundle)
    expect(bundle.entry?.map((e) => e.fullUrl)).toEqual([undefined, undefined])
    expect(bundle.entry?.map((e) => Object.keys(e))).toEqual([['resource'], ['resource']])
    const empty = toAuditEventBundle([], context)
    expectValid(empty)
    expect(empty).toEqual({ resourceType: 'Bundle', type: 'collection' })
  })
})
