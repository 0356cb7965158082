import type { z } from 'zod'
import { errorBodySchema } from './error-body'
import {
  credentialPageResponse,
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
import { openApiDocumentResponse } from './responses/openapi'
import {
  createdOrganisationResponse,
  meResponse,
  organisationListResponse,
  organisationSchema,
  staffTokenResponse,
} from './responses/organisations'
import { uploadedListResponse } from './responses/status-lists'
import {
  batchVerificationResponse,
  credentialVerificationResponse,
  presentationRequestResponse,
  presentationVerificationResponse,
} from './responses/verification'
import {
  addKeyRequest,
  addServiceRequest,
  createOrganisationRequest,
  issueCredentialRequest,
  presentationRequestRequest,
  rotateKeyRequest,
  statusChangeRequest,
  trustEntryRequest,
  verifyBatchRequest,
  verifyPresentationRequest,
  verifyRequest,
} from './schemas'

/**
 * The names of the schemas in the OpenAPI document (`#/components/schemas/<name>`). A body schema
 * of `OPERATIONS` that is named here is referred to by name; any other is written inline.
 */
export const COMPONENT_SCHEMAS = {
  CreateOrganisationRequest: createOrganisationRequest,
  AddServiceRequest: addServiceRequest,
  AddKeyRequest: addKeyRequest,
  RotateKeyRequest: rotateKeyRequest,
  IssueCredentialRequest: issueCredentialRequest,
  TrustEntryRequest: trustEntryRequest,
  VerifyRequest: verifyRequest,
  VerifyBatchRequest: verifyBatchRequest,
  StatusChangeRequest: statusChangeRequest,
  PresentationRequestRequest: presentationRequestRequest,
  VerifyPresentationRequest: verifyPresentationRequest,
  Error: errorBodySchema,
  OpenApiDocument: openApiDocumentResponse,
  Health: healthResponse,
  Me: meResponse,
  Organisation: organisationSchema,
  OrganisationList: organisationListResponse,
  CreatedOrganisation: createdOrganisationResponse,
  StaffToken: staffTokenResponse,
  DidResolution: didResolutionResponse,
  OrganisationDid: organisationDidResponse,
  ChainChange: chainChangeResponse,
  DelegateKey: delegateKeyResponse,
  Rotation: rotationResponse,
  IssuedCredential: issuedCredentialSchema,
  CredentialPage: credentialPageResponse,
  TrustList: trustListResponse,
  StatusChange: statusChangeResponse,
  UploadedList: uploadedListResponse,
  PresentationRequest: presentationRequestResponse,
  CredentialVerification: credentialVerificationResponse,
  BatchVerification: batchVerificationResponse,
  PresentationVerification: presentationVerificationResponse,
} as const satisfies Record<string, z.ZodType>
