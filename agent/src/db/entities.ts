import { AuditCheckpointEntity, AuditEntryEntity } from '../audit/entities'
import { AccessTokenEntity } from '../features/access/entities'
import { AssertionKeyEntity, DidEventEntity, DidOperationEntity } from '../features/dids/entities'
import { InboxKeyEntity, InboxMessageEntity } from '../features/inbox/entities'
import { IssuedCredentialEntity } from '../features/issuance/entities'
import { IssuerNonceEntity, OfferEntity } from '../features/oid4vci/entities'
import { VpRequestEntity } from '../features/oid4vp/entities'
import { ApiTokenEntity, OrganisationEntity } from '../features/organisations/entities'
import { NonceEntity } from '../features/presentations/entities'
import { FhirResourceEntity, PatientEntity } from '../features/records/entities'
import { StatusGroupEntity, UploadedListEntity } from '../features/status/entities'
import { TrustEntryEntity } from '../features/trust/entities'

/** Every Clavis-owned entity, from the slices that own them (Veramo's are added separately). */
export const clavisEntities = [
  OrganisationEntity,
  ApiTokenEntity,
  IssuedCredentialEntity,
  TrustEntryEntity,
  DidEventEntity,
  StatusGroupEntity,
  UploadedListEntity,
  NonceEntity,
  DidOperationEntity,
  AssertionKeyEntity,
  OfferEntity,
  IssuerNonceEntity,
  VpRequestEntity,
  AuditEntryEntity,
  AuditCheckpointEntity,
  PatientEntity,
  FhirResourceEntity,
  AccessTokenEntity,
  InboxMessageEntity,
  InboxKeyEntity,
]
