import { z } from 'zod'
import { errorBodySchema } from './error-body'
import { json, type Operation, type OperationInput, type OperationOutput, text } from './operation'
import {
  auditCheckpointListResponse,
  auditCheckpointSchema,
  auditEventBundleResponse,
  auditPageResponse,
  auditVerificationResponse,
} from './responses/audit'
import {
  credentialPageResponse,
  credentialTypeSchema,
  issuedCredentialSchema,
  statusChangeResponse,
  trustListResponse,
} from './responses/credentials'
import {
  chainChangeResponse,
  delegateKeyResponse,
  didResolutionResponse,
  organisationDidResponse,
  rotationResponse,
} from './responses/dids'
import { healthResponse } from './responses/health'
import { createdOfferResponse, offerStatusResponse } from './responses/offers'
import { openApiDocumentResponse } from './responses/openapi'
import { createdVpRequestResponse, vpRequestStatusResponse } from './responses/openid4vp'
import {
  createdOrganisationResponse,
  meResponse,
  organisationListResponse,
  organisationSchema,
  staffTokenResponse,
} from './responses/organisations'
import {
  accessReportResponse,
  accessRequestStatusResponse,
  accessTokenResponse,
  createdAccessRequestResponse,
  deliveredResponse,
  inboxKeyResponse,
  inboxResponse,
  patientListResponse,
  registeredPatientResponse,
  registeredPatientSchema,
  removedResponse,
  storedRecordsResponse,
} from './responses/records'
import {
  compactJwtSchema,
  STATUS_LIST_MEDIA_TYPES,
  STATUS_LIST_UPLOAD_MEDIA_TYPES,
  uploadedListResponse,
} from './responses/status-lists'
import {
  batchVerificationResponse,
  credentialVerificationResponse,
  presentationRequestResponse,
  presentationVerificationResponse,
} from './responses/verification'
import {
  accessRequestRequest,
  accessTokenRequest,
  addKeyRequest,
  addServiceRequest,
  createOfferRequest,
  createOrganisationRequest,
  createVpRequestRequest,
  deliverRequest,
  inboxKeyRequest,
  issueCredentialRequest,
  presentationRequestRequest,
  putRecordsRequest,
  registerPatientRequest,
  rotateKeyRequest,
  statusChangeRequest,
  trustEntryRequest,
  verifyAuditRequest,
  verifyBatchRequest,
  verifyPresentationRequest,
  verifyRequest,
} from './schemas'

/** `GET …/audit`: a page after an entry, optionally one kind or one patient. */
const auditQuery = z.object({
  after: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  kind: z.string().max(48).optional(),
  patient: z.string().max(64).optional(),
})

/** `GET …/credentials`: paging and the compromise filter. */
const credentialListQuery = z.object({
  limit: z.number().int().min(1).max(500).optional(),
  offset: z.number().int().min(0).max(1_000_000_000).optional(),
  reissueRequired: z.boolean().optional(),
})

/** `POST …/credentials`: a retry with the same key and request returns the first credential. */
const idempotencyHeaders = z.object({
  'Idempotency-Key': z
    .string()
    .regex(/^[\x21-\x7e]{1,128}$/, '1–128 visible ASCII characters')
    .optional(),
})

/**
 * The HTTP contract of the agent (`/v1`): every operation with its method, path, who may call it,
 * what it takes and what it answers. The OpenAPI document, the typed client and the contract test
 * are made from this table; the agent's routes must answer as it says.
 *
 * @example
 * const { method, path, responses } = OPERATIONS.issueCredential // 'POST', …, { 201: … }
 */
export const OPERATIONS = {
  getOpenApi: {
    method: 'GET',
    path: '/v1/openapi.json',
    auth: 'public',
    summary: 'This OpenAPI 3.1 document',
    responses: { 200: json(openApiDocumentResponse) },
    crossOrigin: true,
  },
  getHealth: {
    method: 'GET',
    path: '/v1/health',
    auth: 'public',
    summary:
      'Chain id, latest block, registry address; with the admin token also chain process, RPC, database',
    responses: { 200: json(healthResponse) },
    otherAnswers: {
      503: {
        description:
          'The chain does not answer within 2 s (status degraded, Retry-After), or the agent is stopping',
        body: json(z.union([healthResponse, errorBodySchema])),
      },
    },
  },
  whoAmI: {
    method: 'GET',
    path: '/v1/me',
    auth: 'staff',
    summary: "Who the bearer token belongs to (an organisation's staff, or the operator)",
    responses: { 200: json(meResponse) },
  },
  listOrganisations: {
    method: 'GET',
    path: '/v1/organisations',
    auth: 'public',
    summary: 'List organisations',
    responses: { 200: json(organisationListResponse) },
  },
  createOrganisation: {
    method: 'POST',
    path: '/v1/organisations',
    auth: 'admin',
    summary: 'Create an organisation (DID on chain, staff token shown once)',
    body: json(createOrganisationRequest),
    responses: { 201: json(createdOrganisationResponse) },
  },
  getOrganisation: {
    method: 'GET',
    path: '/v1/organisations/{id}',
    auth: 'public',
    summary: 'One organisation',
    responses: { 200: json(organisationSchema) },
  },
  resetOrganisationToken: {
    method: 'POST',
    path: '/v1/organisations/{id}/token',
    auth: 'admin',
    summary: "Replace the organisation's staff token",
    responses: { 201: json(staffTokenResponse) },
  },
  resolveDid: {
    method: 'GET',
    path: '/v1/dids/{did}',
    auth: 'public',
    summary: 'Resolve any DID (DID resolution result)',
    responses: { 200: json(didResolutionResponse) },
    crossOrigin: true,
  },
  getOrganisationDid: {
    method: 'GET',
    path: '/v1/organisations/{id}/did',
    auth: 'public',
    summary: "The organisation's DID document and change history",
    responses: { 200: json(organisationDidResponse) },
  },
  addDidService: {
    method: 'POST',
    path: '/v1/organisations/{id}/did/services',
    auth: 'staff',
    summary: 'Add a service endpoint on chain',
    body: json(addServiceRequest),
    responses: { 201: json(chainChangeResponse) },
  },
  addDidKey: {
    method: 'POST',
    path: '/v1/organisations/{id}/did/keys',
    auth: 'staff',
    summary: 'Add a delegate signing key on chain',
    body: json(addKeyRequest),
    responses: { 201: json(delegateKeyResponse) },
  },
  revokeDidKey: {
    method: 'DELETE',
    path: '/v1/organisations/{id}/did/keys/{kid}',
    auth: 'staff',
    summary: 'Revoke a delegate key on chain',
    responses: { 200: json(chainChangeResponse) },
  },
  rotateDidKey: {
    method: 'POST',
    path: '/v1/organisations/{id}/did/rotate',
    auth: 'staff',
    summary: "Rotate the DID's controller and assertion keys (routine | compromise)",
    body: json(rotateKeyRequest),
    responses: { 200: json(rotationResponse) },
  },
  deactivateDid: {
    method: 'POST',
    path: '/v1/organisations/{id}/did/deactivate',
    auth: 'staff',
    summary: 'Deactivate the DID (irreversible)',
    responses: { 200: json(chainChangeResponse) },
  },
  listCredentials: {
    method: 'GET',
    path: '/v1/organisations/{id}/credentials',
    auth: 'staff',
    summary: 'Credentials the organisation issued, newest first',
    query: credentialListQuery,
    responses: { 200: json(credentialPageResponse) },
  },
  issueCredential: {
    method: 'POST',
    path: '/v1/organisations/{id}/credentials',
    auth: 'staff',
    summary:
      'Issue a JWT-VC: VC 1.1 (format jwt_vc, the default) or VC 2.0 (vc+jwt); or an SD-JWT VC bound to holderJwk (dc+sd-jwt)',
    headers: idempotencyHeaders,
    body: json(issueCredentialRequest),
    responses: { 201: json(issuedCredentialSchema) },
  },
  getCredential: {
    method: 'GET',
    path: '/v1/organisations/{id}/credentials/{credentialId}',
    auth: 'staff',
    summary: 'One issued credential',
    responses: { 200: json(issuedCredentialSchema) },
  },
  getTrustList: {
    method: 'GET',
    path: '/v1/organisations/{id}/trust',
    auth: 'staff',
    summary: 'The trust list',
    responses: { 200: json(trustListResponse) },
  },
  addTrust: {
    method: 'POST',
    path: '/v1/organisations/{id}/trust',
    auth: 'staff',
    summary: 'Trust an issuer for credential types',
    body: json(trustEntryRequest),
    responses: { 201: json(trustListResponse) },
  },
  removeTrust: {
    method: 'DELETE',
    path: '/v1/organisations/{id}/trust/{issuer}',
    auth: 'staff',
    summary: 'Stop trusting an issuer (for one type, or for all)',
    query: z.object({ type: credentialTypeSchema.optional() }),
    responses: { 200: json(trustListResponse) },
  },
  verifyCredential: {
    method: 'POST',
    path: '/v1/verify',
    auth: 'public',
    summary: 'Verify a JWT-VC, VC 1.1 or VC 2.0 vc+jwt (envelope with every check)',
    body: json(verifyRequest),
    responses: { 200: json(credentialVerificationResponse) },
  },
  verifyCredentialBatch: {
    method: 'POST',
    path: '/v1/organisations/{id}/verify/batch',
    auth: 'staff',
    summary:
      "Verify up to 1000 JWT-VCs against this organisation's trust list, on every core (each one's envelope)",
    body: json(verifyBatchRequest),
    responses: { 200: json(batchVerificationResponse) },
  },
  changeCredentialStatus: {
    method: 'POST',
    path: '/v1/organisations/{id}/credentials/{credentialId}/status',
    auth: 'staff',
    summary: 'Revoke (final), suspend or reinstate a credential; republishes its status lists',
    body: json(statusChangeRequest),
    responses: { 200: json(statusChangeResponse) },
  },
  getStatusList: {
    method: 'GET',
    path: '/v1/status-lists/{group}/{name}',
    auth: 'public',
    summary:
      'A signed status list (bitstring list as a VC 1.1 JWT or a VC 2.0 vc+jwt, or statuslist+jwt), cacheable for its ttl',
    responses: { 200: text(STATUS_LIST_MEDIA_TYPES, compactJwtSchema) },
    crossOrigin: true,
  },
  getUploadedStatusList: {
    method: 'GET',
    path: '/v1/status-lists/dids/{did}/{name}',
    auth: 'public',
    summary: 'A status list uploaded by a DID, served as the media type of its form',
    responses: { 200: text(STATUS_LIST_MEDIA_TYPES, compactJwtSchema) },
    crossOrigin: true,
  },
  uploadStatusList: {
    method: 'PUT',
    path: '/v1/status-lists/dids/{did}/{name}',
    auth: 'public',
    summary: 'Upload a status list signed by that DID, newer than the one held (body: the JWT)',
    body: text(STATUS_LIST_UPLOAD_MEDIA_TYPES, compactJwtSchema),
    responses: { 201: json(uploadedListResponse) },
  },
  createOffer: {
    method: 'POST',
    path: '/v1/organisations/{id}/offers',
    auth: 'staff',
    summary:
      'An OpenID4VCI credential offer (pre-authorized code with a transaction code) of a licence (board) or an identity credential (hospital)',
    body: json(createOfferRequest),
    responses: { 201: json(createdOfferResponse) },
  },
  getOffer: {
    method: 'GET',
    path: '/v1/organisations/{id}/offers/{offerId}',
    auth: 'staff',
    summary: 'How a credential offer stands: offered, redeemed, issued, locked or expired',
    responses: { 200: json(offerStatusResponse) },
  },
  createVpRequest: {
    method: 'POST',
    path: '/v1/organisations/{id}/oid4vp/requests',
    auth: 'staff',
    summary:
      'An OpenID4VP 1.0 presentation request from a DCQL query: signed request object by reference, the verifier identified by its DID',
    body: json(createVpRequestRequest),
    responses: { 201: json(createdVpRequestResponse) },
  },
  registerPatient: {
    method: 'POST',
    path: '/v1/organisations/{id}/patients',
    auth: 'staff',
    summary:
      'Register a patient: their FHIR Patient and records, and an identity credential offer whose redemption links their DID',
    body: json(registerPatientRequest),
    responses: { 201: json(registeredPatientResponse) },
  },
  listPatients: {
    method: 'GET',
    path: '/v1/organisations/{id}/patients',
    auth: 'staff',
    summary: 'The hospital’s patients, newest first',
    responses: { 200: json(patientListResponse) },
  },
  getPatient: {
    method: 'GET',
    path: '/v1/organisations/{id}/patients/{patientId}',
    auth: 'staff',
    summary: 'A patient: their FHIR Patient id and linked DID',
    responses: { 200: json(registeredPatientSchema) },
  },
  putRecords: {
    method: 'PUT',
    path: '/v1/organisations/{id}/patients/{patientId}/records',
    auth: 'staff',
    summary: 'Add or replace a patient’s FHIR R4 records (validated; all or nothing)',
    body: json(putRecordsRequest),
    responses: { 200: json(storedRecordsResponse) },
  },
  createAccessRequest: {
    method: 'POST',
    path: '/v1/organisations/{id}/access/requests',
    auth: 'public',
    summary:
      'A clinician asks for a patient’s records: an OpenID4VP request for their licence and the patient’s grant (or an emergency)',
    body: json(accessRequestRequest),
    responses: { 201: json(createdAccessRequestResponse) },
  },
  getAccessRequest: {
    method: 'GET',
    path: '/v1/organisations/{id}/access/requests/{requestId}',
    auth: 'public',
    summary: 'The decision on an access request (send its secret as Authorization: Bearer)',
    responses: { 200: json(accessRequestStatusResponse) },
  },
  takeAccessToken: {
    method: 'POST',
    path: '/v1/organisations/{id}/access/token',
    auth: 'public',
    summary:
      'A DPoP-bound access token (SMART v2 scopes) for a permitted access request; renewable within its session',
    headers: z.object({ DPoP: z.string() }),
    body: json(accessTokenRequest),
    responses: { 200: json(accessTokenResponse) },
  },
  publishInboxKey: {
    method: 'PUT',
    path: '/v1/organisations/{id}/inbox/{did}/key',
    auth: 'public',
    summary: 'Publish the P-256 key grants for this DID are encrypted to (a JWT signed by the DID’s key)',
    body: json(inboxKeyRequest),
    responses: { 200: json(inboxKeyResponse) },
  },
  getInboxKey: {
    method: 'GET',
    path: '/v1/organisations/{id}/inbox/{did}/key',
    auth: 'public',
    summary: 'A DID’s inbox key statement, as its holder signed it',
    responses: { 200: json(inboxKeyResponse) },
  },
  deliverToInbox: {
    method: 'POST',
    path: '/v1/organisations/{id}/inbox/{did}',
    auth: 'public',
    summary:
      'Leave a JWE (ECDH-ES to the DID’s inbox key) for the DID’s holder, from a patient of this hospital (DPoP proof by their DID key); the agent cannot read it',
    headers: z.object({ DPoP: z.string() }),
    body: json(deliverRequest),
    responses: { 201: json(deliveredResponse) },
  },
  readInbox: {
    method: 'GET',
    path: '/v1/organisations/{id}/inbox/{did}',
    auth: 'public',
    summary: 'The messages waiting for a DID (DPoP proof by the DID’s key)',
    headers: z.object({ DPoP: z.string() }),
    responses: { 200: json(inboxResponse) },
  },
  removeInboxMessage: {
    method: 'DELETE',
    path: '/v1/organisations/{id}/inbox/{did}/{messageId}',
    auth: 'public',
    summary: 'Remove a message taken from the inbox (DPoP proof by the DID’s key)',
    headers: z.object({ DPoP: z.string() }),
    responses: { 200: json(removedResponse) },
  },
  getAccessReport: {
    method: 'GET',
    path: '/v1/organisations/{id}/access-report/{did}',
    auth: 'public',
    summary:
      'Who accessed a patient’s records, when and why (DPoP proof by the patient’s DID key), with a signed checkpoint',
    headers: z.object({ DPoP: z.string() }),
    responses: { 200: json(accessReportResponse) },
  },
  listAudit: {
    method: 'GET',
    path: '/v1/organisations/{id}/audit',
    auth: 'staff',
    summary:
      'The organisation’s audit trail, oldest first: what happened, identifiers and codes only, each entry hash-chained',
    query: auditQuery,
    responses: { 200: json(auditPageResponse) },
  },
  verifyAudit: {
    method: 'POST',
    path: '/v1/organisations/{id}/audit/verify',
    auth: 'staff',
    summary: 'Verify the audit trail from its first entry against its signed checkpoints (and any you kept)',
    body: json(verifyAuditRequest),
    responses: { 200: json(auditVerificationResponse) },
  },
  exportAudit: {
    method: 'GET',
    path: '/v1/organisations/{id}/audit/fhir',
    auth: 'staff',
    summary:
      'The audit trail as FHIR R4 AuditEvent resources (IHE Basic Audit Log Patterns), a page at a time',
    query: auditQuery.pick({ after: true, limit: true }),
    responses: { 200: json(auditEventBundleResponse) },
  },
  createAuditCheckpoint: {
    method: 'POST',
    path: '/v1/organisations/{id}/audit/checkpoints',
    auth: 'staff',
    summary: 'Sign a checkpoint of the audit trail now (the agent also does so periodically)',
    responses: { 201: json(auditCheckpointSchema) },
  },
  listAuditCheckpoints: {
    method: 'GET',
    path: '/v1/organisations/{id}/audit/checkpoints',
    auth: 'public',
    summary: 'The signed checkpoints of the organisation’s audit trail, for anyone to keep',
    responses: { 200: json(auditCheckpointListResponse) },
    crossOrigin: true,
  },
  getVpRequest: {
    method: 'GET',
    path: '/v1/organisations/{id}/oid4vp/requests/{requestId}',
    auth: 'staff',
    summary: 'An OpenID4VP request and, once answered, every check and only the claims it asked for',
    responses: { 200: json(vpRequestStatusResponse) },
  },
  createPresentationRequest: {
    method: 'POST',
    path: '/v1/organisations/{id}/presentation-requests',
    auth: 'staff',
    summary: 'A single-use nonce for a presentation to this organisation',
    body: json(presentationRequestRequest),
    responses: { 201: json(presentationRequestResponse) },
  },
  verifyPresentation: {
    method: 'POST',
    path: '/v1/verify/presentation',
    auth: 'public',
    summary:
      'Verify a JWT VP (VC 1.1, or VC 2.0 vp+jwt) or an SD-JWT VC presentation made for a verifier with its nonce',
    body: json(verifyPresentationRequest),
    responses: { 200: json(presentationVerificationResponse) },
  },
} as const satisfies Record<string, Operation>

/** The name of an operation: `'issueCredential'`. */
export type OperationName = keyof typeof OPERATIONS

/** What a call of the operation takes (path parameters, query, headers, body). */
export type InputOf<N extends OperationName> = OperationInput<(typeof OPERATIONS)[N]>

/** What the operation answers on success. */
export type OutputOf<N extends OperationName> = OperationOutput<(typeof OPERATIONS)[N]>
