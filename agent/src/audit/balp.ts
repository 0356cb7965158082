import type {
  AuditEventAgent,
  AuditEventEntity,
  AuditEventEntityDetail,
  Bundle,
  CodeableConcept,
  Coding,
  Device,
  AuditEvent as FhirAuditEvent,
  Identifier,
  Organization,
  Reference,
} from '@medplum/fhirtypes'
import type { AuditEvent, AuditedCheck } from './audit'

/**
 * The audit trail as FHIR R4 AuditEvents, following IHE Basic Audit Log Patterns (BALP 1.1,
 * https://profiles.ihe.net/ITI/BALP) where a profile fits. Pure: identifiers and codes in, the same out.
 * Events hold no claim values, tokens or keys (audit.ts), and nothing here adds any.
 *
 * Every AuditEvent has:
 * - `id` `clavis-audit-<seq>`, `recorded` the entry's `at`. `seq` counts within one chain (one
 *   organisation's trail): ids are unique within an organisation's export, the hash everywhere;
 * - `meta.tag` `urn:clavis:audit:hash|<entry hash>` (so an export can be checked against the chain:
 *   the hash names one entry, whose content maps to this resource again) and
 *   `urn:clavis:audit:kind|<event kind>` (several kinds share DICOM codes). Tags, not an entity: the
 *   AuthZconsent profile closes its entity slicing, and an entity would claim the hash is an object
 *   of the event;
 * - `source.site` the agent's public URL, `source.observer` the organisation's DID (the site when
 *   the event names no organisation, or its DID is unknown), `source.type` 4 Application Server, or
 *   6 Security Server for authorisation decisions and tokens.
 *
 * | kind | profile | type | subtype | action |
 * | --- | --- | --- | --- | --- |
 * | record.read (read) | PatientRead¹ + OAUTHaccessTokenUse.Minimal | audit-event-type rest | restful-interaction read | R |
 * | record.read (search) | PatientQuery + OAUTHaccessTokenUse.Minimal | rest | search-type | E |
 * | record.refused | – | rest | – (the trail does not say read or search) | R, outcome 4 |
 * | access.decided | AuthZconsent² | DCM 110113 Security Alert | AuthZsubType AuthZ-Consent | E, outcome 0/8 |
 * | access.break_glass | – (none in BALP) | DCM 110113 | DCM 110127 Emergency Override Started | E |
 * | access.token_issued | – (IHE.IUA.71 codes³) | DCM 110114 User Authentication | urn:ihe:event-type-code ITI-71 | E |
 * | offer.redeemed | – (IUA.71 codes) | DCM 110114 | ITI-71 | E |
 * | offer.locked | – | DCM 110114 | ITI-71 | E, outcome 4 |
 * | offer.created | – | DCM 110100 Application Activity | – | C |
 * | credential.issued | – | DCM 110100 | – | C |
 * | credential.status_changed | – | DCM 110113 | DCM 110135 Object Security Attributes Changed | U |
 * | did.changed | – | DCM 110113 | DCM 110135 | U (D for deactivate) |
 * | organisation.created | – | DCM 110113 | DCM 110137 User Security Attributes Changed | C |
 * | organisation.token_reset | – | DCM 110113 | DCM 110137 | U |
 * | trust.added / trust.removed | – | DCM 110113 | DCM 110129 Security Configuration | C / D |
 * | status_list.uploaded | – | DCM 110107 Import | – | C |
 * | grant.delivered | – | DCM 110107 Import | – | C |
 * | verification.decided | – | DCM 110114 (presentation) / 110100 (credential) | – | E, outcome 0/4 |
 * | patient.registered / patient.linked | – | DCM 110110 Patient Record | – | C / U |
 * | records.stored | – | DCM 110110 | – | C |
 * | access_report.read | – | DCM 110101 Audit Log Used | – | R |
 *
 * ¹ Claimed when exactly one resource was read (PatientRead's data slice is 1..1).
 * ² Claimed when the event names the clinician, the patient and the grant (its user, patient and
 *   consent slices are 1..1); otherwise the same codes without the claim.
 * ³ IHE.IUA.71 (ITI-71 Get Access Token) is the closest documented pattern for issuing an access
 *   token, but it is not claimed: it needs the raw token request (`entity[token-request].query`
 *   1..1), which the trail does not keep, and its closed 1..1 entity slicing leaves no room for the
 *   patient and the token.
 *
 * BALP wants the client's network address (`agent[client].network` 1..1) and AuthZconsent the user's
 * organisation (`agent[userorg].who` 1..1); the trail records neither, so they carry the FHIR
 * data-absent-reason extension (`unknown`) instead of an invented value.
 */

/** One entry of the audit trail: its position, time, chain hash and event. */
export interface AuditTrailEntry {
  seq: number
  at: string
  hash: string
  event: AuditEvent
}

export interface BalpContext {
  /** The agent's public URL. */
  site: string
  /** An organisation's DID, if known. */
  didOf(organisationId: string): string | undefined
}

const BALP = 'https://profiles.ihe.net/ITI/BALP'

export const BALP_PROFILES = Object.freeze({
  patientRead: `${BALP}/StructureDefinition/IHE.BasicAudit.PatientRead`,
  patientQuery: `${BALP}/StructureDefinition/IHE.BasicAudit.PatientQuery`,
  authZConsent: `${BALP}/StructureDefinition/IHE.BasicAudit.AuthZconsent`,
  oauthTokenUseMinimal: `${BALP}/StructureDefinition/IHE.BasicAudit.OAUTHaccessTokenUse.Minimal`,
})

/**
 * The systems this export defines: URNs, the same on every agent (`source.site` says which agent).
 * Record ids are UUIDs.
 */
export const CLAVIS_SYSTEMS = Object.freeze({
  chainHash: 'urn:clavis:audit:hash',
  eventKind: 'urn:clavis:audit:kind',
  organisation: 'urn:clavis:organisation',
  offer: 'urn:clavis:offer',
  didOperation: 'urn:clavis:did-operation',
  accessRequest: 'urn:clavis:access-request',
  inboxMessage: 'urn:clavis:inbox-message',
})

/** `Identifier.system` of a value that is itself a URI (a DID, `urn:uuid:…`, a jti URN). */
const URI_SYSTEM = 'urn:ietf:rfc:3986'
/** RFC 9068 / BALP: a token's `jti` as a URN. */
const JTI_PREFIX = 'urn:ietf:params:oauth:jti:'

const TERMINOLOGY = 'http://terminology.hl7.org/CodeSystem'
const DCM = 'http://dicom.nema.org/resources/ontology/DCM'
const ACT_REASON = `${TERMINOLOGY}/v3-ActReason`

const coding = (system: string, code: string, display: string): Coding => ({ system, code, display })
const dcm = (code: string, display: string): Coding => coding(DCM, code, display)

const CODES = {
  rest: coding(`${TERMINOLOGY}/audit-event-type`, 'rest', 'RESTful Operation'),
  read: coding('http://hl7.org/fhir/restful-interaction', 'read', 'read'),
  searchType: coding('http://hl7.org/fhir/restful-interaction', 'search-type', 'search-type'),
  applicationActivity: dcm('110100', 'Application Activity'),
  auditLogUsed: dcm('110101', 'Audit Log Used'),
  import: dcm('110107', 'Import'),
  patientRecord: dcm('110110', 'Patient Record'),
  securityAlert: dcm('110113', 'Security Alert'),
  userAuthentication: dcm('110114', 'User Authentication'),
  emergencyOverrideStarted: dcm('110127', 'Emergency Override Started'),
  securityConfiguration: dcm('110129', 'Security Configuration'),
  objectSecurityAttributesChanged: dcm('110135', 'Object Security Attributes Changed'),
  userSecurityAttributesChanged: dcm('110137', 'User Security Attributes Changed'),
  authZConsent: coding(
    `${BALP}/CodeSystem/AuthZsubType`,
    'AuthZ-Consent',
    'Authorization Decision using Roles and Consent',
  ),
  getAccessToken: coding('urn:ihe:event-type-code', 'ITI-71', 'Get Access Token'),
  // agent types
  application: dcm('110150', 'Application'),
  destination: dcm('110152', 'Destination Role ID'),
  source: dcm('110153', 'Source Role ID'),
  userOauthAgent: coding(
    `${BALP}/CodeSystem/UserAgentTypes`,
    'UserOauthAgent',
    'User OAuth Agent participant',
  ),
  authzOauthService: coding(
    `${BALP}/CodeSystem/UserAgentTypes`,
    'AuthzOauthService',
    'OAuth Authorization Server',
  ),
  authserver: coding(`${TERMINOLOGY}/extra-security-role-type`, 'authserver', 'authorization server'),
  informationRecipient: coding(`${TERMINOLOGY}/v3-ParticipationType`, 'IRCP', 'information recipient'),
  author: coding(`${TERMINOLOGY}/v3-ParticipationType`, 'AUT', 'author (originator)'),
  custodian: coding(`${TERMINOLOGY}/v3-ParticipationType`, 'CST', 'custodian'),
  patient: coding(`${TERMINOLOGY}/v3-RoleClass`, 'PAT', 'patient'),
  healthcareProvider: coding(`${TERMINOLOGY}/v3-RoleClass`, 'PROV', 'healthcare provider'),
  // source types
  applicationServer: coding(`${TERMINOLOGY}/security-source-type`, '4', 'Application Server'),
  securityServer: coding(`${TERMINOLOGY}/security-source-type`, '6', 'Security Server'),
  // entity types and roles
  person: coding(`${TERMINOLOGY}/audit-entity-type`, '1', 'Person'),
  systemObject: coding(`${TERMINOLOGY}/audit-entity-type`, '2', 'System Object'),
  organization: coding(`${TERMINOLOGY}/audit-entity-type`, '3', 'Organization'),
  consent: coding('http://hl7.org/fhir/resource-types', 'Consent', 'Consent'),
  patientRole: coding(`${TERMINOLOGY}/object-role`, '1', 'Patient'),
  domainResource: coding(`${TERMINOLOGY}/object-role`, '4', 'Domain Resource'),
  user: coding(`${TERMINOLOGY}/object-role`, '6', 'User'),
  securityResource: coding(`${TERMINOLOGY}/object-role`, '13', 'Security Resource'),
  job: coding(`${TERMINOLOGY}/object-role`, '20', 'Job'),
  query: coding(`${TERMINOLOGY}/object-role`, '24', 'Query'),
} as const

/** v3-ActReason displays of the purposes a grant may name (`PURPOSES_OF_USE`) and BTG. */
const PURPOSE_DISPLAYS: Readonly<Record<string, string>> = {
  TREAT: 'treatment',
  ETREAT: 'Emergency Treatment',
  BTG: 'break the glass',
  HPAYMT: 'healthcare payment',
  HOPERAT: 'healthcare operations',
  PATRQT: 'patient requested',
  FAMRQT: 'family requested',
  PWATRNY: 'power of attorney',
  SUPNWK: 'support network',
  CAREMGT: 'care management',
  HRESCH: 'healthcare research',
  PUBHLTH: 'public health',
}

/** What the trail does not record but a profile requires (FHIR data-absent-reason). */
const UNKNOWN = {
  extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' }],
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const URI = /^[a-z][a-z0-9+.-]*:\S+$/i

const uriIdentifier = (value: string): Identifier => ({ system: URI_SYSTEM, value })
const jtiIdentifier = (tokenId: string): Identifier => uriIdentifier(`${JTI_PREFIX}${tokenId}`)

/** A credential's id as its `id`/`jti` reads: `urn:uuid:<id>` for the agent's UUIDs, URIs as they are. */
function credentialUri(id: string): string | undefined {
  if (UUID.test(id)) return `urn:uuid:${id}`
  return URI.test(id) ? id : undefined
}

function credentialIdentifier(id: string): Identifier {
  const uri = credentialUri(id)
  return uri ? uriIdentifier(uri) : { value: id }
}

function purposes(codes: readonly string[]): CodeableConcept[] {
  return [...new Set(codes)].map((code) => {
    const display = PURPOSE_DISPLAYS[code]
    return { coding: [display ? coding(ACT_REASON, code, display) : { system: ACT_REASON, code }] }
  })
}

/** The purpose a token or request names, and BTG when it was opened by breaking the glass. */
const purposesOf = (purposeOfUse: string, breakGlass: boolean): CodeableConcept[] =>
  purposes(breakGlass ? [purposeOfUse, 'BTG'] : [purposeOfUse])

/**
 * Checks by name, in the order of the trail's canonical JSON (RFC 8785 sorts keys by UTF-16 code
 * units): an AuditEvent mapped from a stored entry equals the one mapped from the live event.
 */
const byName = (checks: Record<string, AuditedCheck>): [string, AuditedCheck][] =>
  Object.entries(checks).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))

/** `name: code` of each failed check, or undefined when all passed. */
function failedChecks(checks: Record<string, AuditedCheck>): string | undefined {
  const failed = byName(checks)
    .filter(([, c]) => !c.passed)
    .map(([name, c]) => (c.code ? `${name}: ${c.code}` : name))
  return failed.length > 0 ? failed.join(', ') : undefined
}

function checkDetails(checks: Record<string, AuditedCheck>): AuditEventEntityDetail[] {
  return byName(checks).map(([name, c]) => ({
    type: `check.${name}`,
    valueString: c.passed ? 'passed' : c.code ? `failed: ${c.code}` : 'failed',
  }))
}

const patientEntity = (patientId: string, did?: string): AuditEventEntity => ({
  what: { reference: `Patient/${patientId}`, ...(did && { identifier: uriIdentifier(did) }) },
  type: CODES.person,
  role: CODES.patientRole,
})

/** A resource read or stored (`Type/id`): BALP's data entity. */
const dataEntity = (reference: string): AuditEventEntity => ({
  what: { reference },
  type: CODES.systemObject,
  role: CODES.domainResource,
})

/**
 * A resource a search returned. Typed by its resource type, not audit-entity-type 2: PatientQuery
 * slices entities by type, and every type-2 entity would fall into its query slice (1..1).
 */
const resultEntity = (reference: string): AuditEventEntity => ({
  what: { reference },
  type: { system: 'http://hl7.org/fhir/resource-types', code: reference.slice(0, reference.indexOf('/')) },
  role: CODES.domainResource,
})

/** An access token, by its `jti` (BALP: `urn:ietf:params:oauth:jti:<jti>`): IUA's token-response entity. */
const tokenEntity = (tokenId: string, details: AuditEventEntityDetail[]): AuditEventEntity => ({
  what: { identifier: jtiIdentifier(tokenId) },
  type: CODES.systemObject,
  role: CODES.securityResource,
  detail: details,
})

const credentialEntity = (credentialId: string, details: AuditEventEntityDetail[]): AuditEventEntity => ({
  what: { identifier: credentialIdentifier(credentialId) },
  type: CODES.systemObject,
  role: CODES.securityResource,
  detail: details,
})

const offerEntity = (offerId: string, details: AuditEventEntityDetail[] = []): AuditEventEntity => ({
  what: { identifier: { system: CLAVIS_SYSTEMS.offer, value: offerId } },
  type: CODES.systemObject,
  role: CODES.securityResource,
  ...(details.length > 0 && { detail: details }),
})

const detail = (type: string, valueString: string): AuditEventEntityDetail => ({ type, valueString })

/** How one event reads, before what every AuditEvent has. */
interface Mapping {
  profiles?: string[]
  /** The organisation that observed the event; none: the agent itself. */
  organisationId?: string | undefined
  sourceType?: Coding
  type: Coding
  subtype?: Coding[]
  action: NonNullable<FhirAuditEvent['action']>
  outcome?: NonNullable<FhirAuditEvent['outcome']>
  outcomeDesc?: string | undefined
  purposeOfEvent?: CodeableConcept[]
  agent: AuditEventAgent[]
  entity?: AuditEventEntity[]
}

/** References and agents as one context names them. */
class Parties {
  constructor(private readonly context: BalpContext) {}

  /**
   * The organisation: by its DID, or by its id on this agent when the DID is unknown; none (an empty
   * id: a request refused before any token named one) is the agent itself.
   */
  organisation(organisationId: string): Reference<Organization | Device> {
    if (!organisationId) return this.agent()
    const did = this.context.didOf(organisationId)
    return {
      type: 'Organization',
      identifier: did ? uriIdentifier(did) : { system: CLAVIS_SYSTEMS.organisation, value: organisationId },
    }
  }

  /** The agent, by its public URL. */
  agent(): Reference<Device> {
    return { type: 'Device', identifier: uriIdentifier(this.context.site) }
  }

  /** Who recorded the event: the organisation's DID, else the agent (its public URL). */
  observer(organisationId: string | undefined): Reference<Organization | Device> {
    const did = organisationId ? this.context.didOf(organisationId) : undefined
    return did ? { type: 'Organization', identifier: uriIdentifier(did) } : this.agent()
  }

  /** The agent serving the organisation, at its public URL. */
  server(type: Coding, organisationId: string): AuditEventAgent {
    return {
      type: { coding: [type] },
      who: this.organisation(organisationId),
      requestor: false,
      network: { address: this.context.site, type: '5' },
    }
  }

  /** The organisation's staff, through its API token (the trail does not name the person). */
  staff(organisationId: string): AuditEventAgent {
    return { type: { coding: [CODES.author] }, who: this.organisation(organisationId), requestor: true }
  }

  /** The organisation as the authorisation server (BALP: its `who` is `source.observer`). */
  authorizer(organisationId: string): AuditEventAgent {
    return { type: { coding: [CODES.authserver] }, who: this.observer(organisationId), requestor: false }
  }
}

/** The agent's operator (admin token): organisations are created and their tokens reset by it. */
const OPERATOR: AuditEventAgent = {
  type: { coding: [CODES.author] },
  who: { display: 'operator of the agent (admin token)' },
  requestor: true,
}

/** The client application: the clinician's wallet, known by the clinician's DID; its address is not recorded. */
const client = (type: Coding, clinicianDid: string | undefined): AuditEventAgent => ({
  type: { coding: [type] },
  who: clinicianDid ? { identifier: uriIdentifier(clinicianDid) } : UNKNOWN,
  requestor: false,
  network: UNKNOWN,
})

/**
 * The clinician, the information recipient. With a token, also BALP's OAuth user agent: its `jti` in
 * `policy` (OAUTHaccessTokenUse.Minimal).
 */
function clinician(
  did: string | undefined,
  options: { tokenId?: string | undefined; purposeOfUse?: CodeableConcept[]; policy?: string[] } = {},
): AuditEventAgent {
  const policy = [...(options.tokenId ? [`${JTI_PREFIX}${options.tokenId}`] : []), ...(options.policy ?? [])]
  return {
    type: {
      coding: options.tokenId
        ? [CODES.informationRecipient, CODES.userOauthAgent]
        : [CODES.informationRecipient],
    },
    who: did ? { type: 'Practitioner', identifier: uriIdentifier(did) } : UNKNOWN,
    requestor: true,
    ...(policy.length > 0 && { policy }),
    ...(options.purposeOfUse && { purposeOfUse: options.purposeOfUse }),
  }
}

function map(event: AuditEvent, parties: Parties): Mapping {
  switch (event.kind) {
    case 'record.read': {
      const purposeOfUse = purposesOf(event.purposeOfUse, event.breakGlass)
      const user = clinician(event.clinicianDid, { tokenId: event.tokenId, purposeOfUse })
      const patient = patientEntity(event.patientId)
      if (event.interaction === 'read')
        return {
          profiles: [
            ...(event.resources.length === 1 ? [BALP_PROFILES.patientRead] : []),
            BALP_PROFILES.oauthTokenUseMinimal,
          ],
          organisationId: event.organisationId,
          type: CODES.rest,
          subtype: [CODES.read],
          action: 'R',
          purposeOfEvent: purposeOfUse,
          agent: [
            client(CODES.destination, event.clinicianDid),
            parties.server(CODES.source, event.organisationId),
            user,
          ],
          entity: [patient, ...event.resources.map(dataEntity)],
        }
      // The trail keeps parameter names, never values: the "query" is that, not the raw request.
      const query = `${event.resourceType}${event.parameters?.length ? `?${event.parameters.join('&')}` : ''}`
      return {
        profiles: [BALP_PROFILES.patientQuery, BALP_PROFILES.oauthTokenUseMinimal],
        organisationId: event.organisationId,
        type: CODES.rest,
        subtype: [CODES.searchType],
        action: 'E',
        purposeOfEvent: purposeOfUse,
        // DICOM's direction for queries: the client is the source (of the query), the server its destination.
        agent: [
          client(CODES.source, event.clinicianDid),
          parties.server(CODES.destination, event.organisationId),
          user,
        ],
        entity: [
          patient,
          {
            type: CODES.systemObject,
            role: CODES.query,
            description: query,
            query: Buffer.from(query, 'utf8').toString('base64'),
          },
          ...event.resources.map(resultEntity),
        ],
      }
    }
    case 'record.refused':
      return {
        organisationId: event.organisationId,
        type: CODES.rest,
        action: 'R',
        // A refused request (401/403): a minor failure, as FHIR defines 4 ("often an HTTP 400").
        outcome: '4',
        outcomeDesc: event.reason,
        agent: [
          clinician(event.clinicianDid, { tokenId: event.tokenId }),
          parties.server(CODES.source, event.organisationId),
        ],
        entity: [
          ...(event.patientId ? [patientEntity(event.patientId)] : []),
          ...(event.resourceType
            ? [{ type: CODES.systemObject, role: CODES.domainResource, description: event.resourceType }]
            : []),
        ],
      }
    case 'access.decided': {
      const purposeOfUse = purposesOf(event.purposeOfUse, event.breakGlass)
      const conforms =
        event.clinicianDid !== undefined && event.patientId !== undefined && event.grantId !== undefined
      return {
        ...(conforms && { profiles: [BALP_PROFILES.authZConsent] }),
        organisationId: event.organisationId,
        sourceType: CODES.securityServer,
        type: CODES.securityAlert,
        subtype: [CODES.authZConsent],
        action: 'E',
        outcome: event.permitted ? '0' : '8',
        outcomeDesc: event.permitted ? undefined : (event.reason ?? failedChecks(event.checks) ?? 'denied'),
        purposeOfEvent: purposeOfUse,
        agent: [
          client(CODES.application, event.clinicianDid),
          // The licence the clinician presented: the credential they act under.
          clinician(event.clinicianDid, {
            purposeOfUse,
            ...(event.licenceId &&
              credentialUri(event.licenceId) && { policy: [credentialUri(event.licenceId)!] }),
          }),
          { type: { coding: [CODES.healthcareProvider] }, who: UNKNOWN, requestor: false },
          parties.authorizer(event.organisationId),
        ],
        entity: [
          ...(event.patientId ? [patientEntity(event.patientId)] : []),
          ...(event.grantId
            ? [{ what: { identifier: credentialIdentifier(event.grantId) }, type: CODES.consent }]
            : []),
        ],
      }
    }
    case 'access.break_glass':
      return {
        organisationId: event.organisationId,
        sourceType: CODES.securityServer,
        type: CODES.securityAlert,
        subtype: [CODES.emergencyOverrideStarted],
        action: 'E',
        purposeOfEvent: purposes(['BTG', 'ETREAT']),
        agent: [
          clinician(event.clinicianDid, { purposeOfUse: purposes(['BTG']) }),
          parties.authorizer(event.organisationId),
        ],
        entity: [
          patientEntity(event.patientId),
          // The access request the emergency was declared in, with the reason the clinician wrote
          // for the audit and when the emergency access ends. Its token is access.token_issued's.
          {
            what: { identifier: { system: CLAVIS_SYSTEMS.accessRequest, value: event.requestId } },
            type: CODES.systemObject,
            description: event.reason,
            detail: [detail('expiresAt', event.expiresAt)],
          },
        ],
      }
    case 'access.token_issued': {
      const purposeOfUse = purposesOf(event.purposeOfUse, event.breakGlass)
      return {
        organisationId: event.organisationId,
        sourceType: CODES.securityServer,
        type: CODES.userAuthentication,
        subtype: [CODES.getAccessToken],
        action: 'E',
        purposeOfEvent: purposeOfUse,
        agent: [
          client(CODES.application, event.clinicianDid),
          parties.server(CODES.authzOauthService, event.organisationId),
          clinician(event.clinicianDid, { tokenId: event.tokenId, purposeOfUse }),
        ],
        entity: [
          patientEntity(event.patientId),
          tokenEntity(event.tokenId, [
            ...event.scopes.map((scope) => detail('scope', scope)),
            detail('expiresAt', event.expiresAt),
          ]),
        ],
      }
    }
    case 'offer.redeemed':
    case 'offer.locked':
      // The wallet exchanged the offer's pre-authorised code (and transaction code) for a token, or
      // gave the last wrong transaction code, which locked the offer.
      return {
        organisationId: event.organisationId,
        sourceType: CODES.securityServer,
        type: CODES.userAuthentication,
        subtype: [CODES.getAccessToken],
        action: 'E',
        ...(event.kind === 'offer.locked' && {
          outcome: '4',
          outcomeDesc: 'wrong transaction code: the offer is locked',
        }),
        agent: [
          { type: { coding: [CODES.application] }, name: 'wallet holding the offer', requestor: true },
          parties.server(CODES.authzOauthService, event.organisationId),
        ],
        entity: [offerEntity(event.offerId)],
      }
    case 'offer.created':
      return {
        organisationId: event.organisationId,
        type: CODES.applicationActivity,
        action: 'C',
        agent: [parties.staff(event.organisationId)],
        entity: [
          offerEntity(event.offerId, [
            detail('credentialType', event.type),
            ...event.configurations.map((id) => detail('configuration', id)),
          ]),
        ],
      }
    case 'credential.issued':
      return {
        organisationId: event.organisationId,
        type: CODES.applicationActivity,
        action: 'C',
        agent: [parties.staff(event.organisationId)],
        entity: [
          credentialEntity(event.credentialId, [detail('type', event.type), detail('format', event.format)]),
          {
            what: { identifier: uriIdentifier(event.subjectDid) },
            type: CODES.person,
            description: 'credential subject',
          },
        ],
      }
    case 'credential.status_changed':
      return {
        organisationId: event.organisationId,
        type: CODES.securityAlert,
        subtype: [CODES.objectSecurityAttributesChanged],
        action: 'U',
        agent: [parties.staff(event.organisationId)],
        entity: [
          credentialEntity(event.credentialId, [
            detail('action', event.action),
            detail('status', event.status),
          ]),
        ],
      }
    case 'did.changed':
      return {
        organisationId: event.organisationId,
        type: CODES.securityAlert,
        subtype: [CODES.objectSecurityAttributesChanged],
        action: event.operation === 'deactivate' ? 'D' : 'U',
        agent: [parties.staff(event.organisationId)],
        entity: [
          {
            what: parties.organisation(event.organisationId),
            type: CODES.systemObject,
            role: CODES.securityResource,
          },
          {
            what: { identifier: { system: CLAVIS_SYSTEMS.didOperation, value: event.operationId } },
            type: CODES.systemObject,
            role: CODES.job,
            detail: [detail('operation', event.operation)],
          },
        ],
      }
    case 'organisation.created':
      return {
        organisationId: event.organisationId,
        type: CODES.securityAlert,
        subtype: [CODES.userSecurityAttributesChanged],
        action: 'C',
        agent: [OPERATOR],
        entity: [
          {
            what: { type: 'Organization', identifier: uriIdentifier(event.did) },
            type: CODES.organization,
            role: CODES.user,
            detail: [detail('organisationKind', event.organisationKind)],
          },
        ],
      }
    case 'organisation.token_reset':
      return {
        organisationId: event.organisationId,
        type: CODES.securityAlert,
        subtype: [CODES.userSecurityAttributesChanged],
        action: 'U',
        agent: [OPERATOR],
        entity: [
          { what: parties.organisation(event.organisationId), type: CODES.organization, role: CODES.user },
        ],
      }
    case 'trust.added':
    case 'trust.removed':
      return {
        organisationId: event.organisationId,
        type: CODES.securityAlert,
        subtype: [CODES.securityConfiguration],
        action: event.kind === 'trust.added' ? 'C' : 'D',
        agent: [parties.staff(event.organisationId)],
        entity: [
          {
            what: { identifier: uriIdentifier(event.issuer) },
            type: CODES.organization,
            description: 'trusted issuer',
            ...(event.types.length > 0 && {
              detail: event.types.map((type) => detail('credentialType', type)),
            }),
          },
        ],
      }
    case 'status_list.uploaded':
      // Signed by a key of `did` (checked before it was stored): its controller uploaded it.
      return {
        type: CODES.import,
        action: 'C',
        agent: [
          {
            type: { coding: [CODES.author] },
            who: { identifier: uriIdentifier(event.did) },
            requestor: true,
          },
        ],
        entity: [
          {
            what: { identifier: uriIdentifier(event.did) },
            type: CODES.systemObject,
            role: CODES.securityResource,
            description: 'status list',
            detail: [detail('name', event.name)],
          },
        ],
      }
    case 'grant.delivered':
      // The sender is not known: the grant is encrypted to the recipient.
      return {
        organisationId: event.organisationId,
        type: CODES.import,
        action: 'C',
        agent: [
          parties.server(CODES.custodian, event.organisationId),
          {
            type: { coding: [CODES.informationRecipient] },
            who: { type: 'Practitioner', identifier: uriIdentifier(event.recipientDid) },
            requestor: false,
          },
        ],
        entity: [
          {
            what: { identifier: { system: CLAVIS_SYSTEMS.inboxMessage, value: event.messageId } },
            type: CODES.systemObject,
            role: CODES.securityResource,
            description: 'encrypted access grant',
          },
        ],
      }
    case 'verification.decided':
      return {
        organisationId: event.verifier,
        sourceType: CODES.securityServer,
        // A presentation authenticates its holder; a credential alone is only checked.
        type: event.what === 'presentation' ? CODES.userAuthentication : CODES.applicationActivity,
        action: 'E',
        outcome: event.valid ? '0' : '4',
        outcomeDesc: event.valid ? undefined : (failedChecks(event.checks) ?? 'invalid'),
        agent: [
          event.verifier
            ? {
                type: { coding: [CODES.informationRecipient] },
                who: parties.organisation(event.verifier),
                requestor: true,
              }
            : { type: { coding: [CODES.application] }, name: 'anonymous verification', requestor: true },
        ],
        entity: [
          {
            type: CODES.systemObject,
            role: CODES.securityResource,
            name: event.what,
            detail: [
              ...(event.type ? [detail('credentialType', event.type)] : []),
              ...checkDetails(event.checks),
            ],
          },
          ...(event.issuer
            ? [
                {
                  what: { identifier: uriIdentifier(event.issuer) },
                  type: CODES.organization,
                  description: 'issuer',
                },
              ]
            : []),
        ],
      }
    case 'patient.registered':
    case 'patient.linked':
      return {
        organisationId: event.organisationId,
        type: CODES.patientRecord,
        action: event.kind === 'patient.registered' ? 'C' : 'U',
        agent: [parties.staff(event.organisationId)],
        // Linked: the patient record now names the patient's DID.
        entity: [
          patientEntity(event.patientId, event.kind === 'patient.linked' ? event.patientDid : undefined),
        ],
      }
    case 'records.stored':
      return {
        organisationId: event.organisationId,
        type: CODES.patientRecord,
        action: 'C',
        agent: [parties.staff(event.organisationId)],
        entity: [patientEntity(event.patientId), ...event.resources.map(dataEntity)],
      }
    case 'access_report.read':
      // The patient (who proved control of their DID) read who accessed their records.
      return {
        organisationId: event.organisationId,
        type: CODES.auditLogUsed,
        action: 'R',
        agent: [
          {
            type: { coding: [CODES.patient] },
            who: { type: 'Patient', reference: `Patient/${event.patientId}` },
            requestor: true,
          },
          parties.server(CODES.custodian, event.organisationId),
        ],
        entity: [patientEntity(event.patientId)],
      }
    default:
      return unmapped(event)
  }
}

/** A kind added to the union but not mapped here fails typecheck at the call. */
function unmapped(event: never): never {
  throw new TypeError(`No AuditEvent mapping for audit event ${JSON.stringify((event as AuditEvent).kind)}.`)
}

/**
 * One audit trail entry as a FHIR R4 AuditEvent (IHE BALP where a profile fits; see the table above).
 *
 * @example
 * const fhir = toAuditEvent(entry, { site: ctx.publicUrl, didOf: (id) => dids.get(id) })
 */
export function toAuditEvent(entry: AuditTrailEntry, context: BalpContext): FhirAuditEvent {
  const parties = new Parties(context)
  const m = map(entry.event, parties)
  return {
    resourceType: 'AuditEvent',
    id: `clavis-audit-${entry.seq}`,
    meta: {
      ...(m.profiles && m.profiles.length > 0 && { profile: m.profiles }),
      tag: [
        { system: CLAVIS_SYSTEMS.eventKind, code: entry.event.kind },
        { system: CLAVIS_SYSTEMS.chainHash, code: entry.hash },
      ],
    },
    type: m.type,
    ...(m.subtype && { subtype: m.subtype }),
    action: m.action,
    recorded: entry.at,
    outcome: m.outcome ?? '0',
    ...(m.outcomeDesc !== undefined && { outcomeDesc: m.outcomeDesc }),
    ...(m.purposeOfEvent && { purposeOfEvent: m.purposeOfEvent }),
    agent: m.agent,
    source: {
      site: context.site,
      observer: parties.observer(m.organisationId),
      type: [m.sourceType ?? CODES.applicationServer],
    },
    ...(m.entity && m.entity.length > 0 && { entity: m.entity }),
  }
}

/**
 * Entries as a Bundle of type `collection`: an export of the trail in its order, not the answer to
 * a FHIR search (no `total`, no search modes; a `GET /fhir/AuditEvent` would wrap them as a
 * `searchset`). With `baseUrl` (the FHIR base the agent serves, where `Patient/<id>` resolves) each
 * entry gets `fullUrl` `<baseUrl>/AuditEvent/<id>`; without it, none (relative references then
 * stay unresolved, as FHIR allows).
 *
 * @example
 * const bundle = toAuditEventBundle(entries, context, { baseUrl: `${ctx.publicUrl}/fhir` })
 */
export function toAuditEventBundle(
  entries: Iterable<AuditTrailEntry>,
  context: BalpContext,
  options: { baseUrl?: string } = {},
): Bundle<FhirAuditEvent> {
  const base = options.baseUrl?.replace(/\/+$/, '')
  const entry = [...entries].map((e) => {
    const resource = toAuditEvent(e, context)
    return base ? { fullUrl: `${base}/AuditEvent/${resource.id}`, resource } : { resource }
  })
  return { resourceType: 'Bundle', type: 'collection', ...(entry.length > 0 && { entry }) }
}
