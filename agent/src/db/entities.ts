import { EntitySchema } from 'typeorm'

/** An organisation (board or hospital) with its DID. */
export interface OrganisationRow {
  id: string
  name: string
  kind: 'board' | 'hospital'
  did: string
  status: 'active' | 'deactivated'
  createdAt: string
}

/** A hashed API token: staff of one organisation, or the operator (admin). */
export interface ApiTokenRow {
  id: string
  organisationId: string | null
  role: 'admin' | 'staff'
  tokenHash: string
  createdAt: string
  revokedAt: string | null
}

/** A credential an organisation issued. */
export interface IssuedCredentialRow {
  id: string
  organisationId: string
  type: string
  issuerDid: string
  subjectDid: string
  signerKid: string
  jwt: string
  issuedAt: string
  validFrom: string
  validUntil: string | null
  reissueRequired: boolean
  format: 'jwt_vc' | 'dc+sd-jwt'
  statusGroup: string | null
  statusIndex: number | null
  status: CredentialStatus
  /** The `Idempotency-Key` it was issued under, and the SHA-256 of that request (a retry must match). */
  idempotencyKey: string | null
  requestHash: string | null
}

/** Where a credential stands. */
export type CredentialStatus = 'valid' | 'revoked' | 'suspended'

/** A group of status lists sharing one index space. */
export interface StatusGroupRow {
  id: string
  organisationId: string
  issuerDid: string
  format: 'bitstring' | 'token'
  size: number
  bits: number
  full: boolean
  version: number
  createdAt: string
}

/** A status list a DID uploaded (a patient's grant list), served as uploaded. */
export interface UploadedListRow {
  id: string
  issuerDid: string
  name: string
  jwt: string
  issuedAt: number
  updatedAt: string
}

/** A single-use presentation nonce issued by a verifier organisation. */
export interface NonceRow {
  nonce: string
  organisationId: string
  audience: string
  expiresAt: string
  usedAt: string | null
  /** SHA-256 hex of the request secret (null for nonces made before secrets existed: unusable). */
  secretHash: string | null
}

/** One trust-list entry: this organisation accepts `issuerDid` as issuer of `credentialType`. */
export interface TrustEntryRow {
  id: string
  organisationId: string
  issuerDid: string
  credentialType: string
  createdAt: string
}

/** A change an organisation made to its DID (audit trail; never claim values). */
export interface DidEventRow {
  id: string
  organisationId: string
  kind: string
  detail: string
  txHash: string | null
  at: string
}

/** What a DID operation does. */
export type DidOperationKind = 'rotate' | 'add-service' | 'add-key' | 'revoke-key' | 'deactivate'

/**
 * A change to an organisation's DID that spans the chain, the database and the key store, written
 * before any of it happens and advanced step by step (again at start-up after a crash) until done.
 * `pending`: the chain may or may not hold it yet; `committed`: chain and database hold it, keys
 * the chain no longer names may still need deleting; `done`.
 */
export interface DidOperationRow {
  id: string
  organisationId: string
  kind: DidOperationKind
  /** JSON: what the operation needs to complete (key ids, addresses, the service…), no secrets. */
  params: string
  state: 'pending' | 'committed' | 'done'
  /** JSON: what it answered (transaction hashes, …), once committed. */
  result: string | null
  createdAt: string
  updatedAt: string
}

const id = { type: 'varchar' as const, length: 64, primary: true }
const isoTime = { type: 'varchar' as const, length: 40 }

export const OrganisationEntity = new EntitySchema<OrganisationRow>({
  name: 'clavis_organisation',
  columns: {
    id,
    name: { type: 'varchar', length: 200 },
    kind: { type: 'varchar', length: 16 },
    did: { type: 'varchar', length: 256, unique: true },
    status: { type: 'varchar', length: 16 },
    createdAt: { ...isoTime, name: 'created_at' },
  },
})

export const ApiTokenEntity = new EntitySchema<ApiTokenRow>({
  name: 'clavis_api_token',
  columns: {
    id,
    organisationId: { type: 'varchar', length: 64, nullable: true, name: 'organisation_id' },
    role: { type: 'varchar', length: 16 },
    tokenHash: { type: 'varchar', length: 64, unique: true, name: 'token_hash' },
    createdAt: { ...isoTime, name: 'created_at' },
    revokedAt: { ...isoTime, nullable: true, name: 'revoked_at' },
  },
})

export const IssuedCredentialEntity = new EntitySchema<IssuedCredentialRow>({
  name: 'clavis_issued_credential',
  columns: {
    id,
    organisationId: { type: 'varchar', length: 64, name: 'organisation_id' },
    type: { type: 'varchar', length: 64 },
    issuerDid: { type: 'varchar', length: 256, name: 'issuer_did' },
    subjectDid: { type: 'varchar', length: 256, name: 'subject_did' },
    signerKid: { type: 'varchar', length: 256, name: 'signer_kid' },
    jwt: { type: 'text' },
    issuedAt: { ...isoTime, name: 'issued_at' },
    validFrom: { ...isoTime, name: 'valid_from' },
    validUntil: { ...isoTime, nullable: true, name: 'valid_until' },
    reissueRequired: { type: 'boolean', default: false, name: 'reissue_required' },
    format: { type: 'varchar', length: 16, default: 'jwt_vc' },
    statusGroup: { type: 'varchar', length: 64, nullable: true, name: 'status_group' },
    statusIndex: { type: 'integer', nullable: true, name: 'status_index' },
    status: { type: 'varchar', length: 16, default: 'valid' },
    idempotencyKey: { type: 'varchar', length: 128, nullable: true, name: 'idempotency_key' },
    requestHash: { type: 'varchar', length: 64, nullable: true, name: 'request_hash' },
  },
  indices: [{ name: 'idx_issued_org', columns: ['organisationId', 'issuedAt'] }],
})

export const TrustEntryEntity = new EntitySchema<TrustEntryRow>({
  name: 'clavis_trust_entry',
  columns: {
    id,
    organisationId: { type: 'varchar', length: 64, name: 'organisation_id' },
    issuerDid: { type: 'varchar', length: 256, name: 'issuer_did' },
    credentialType: { type: 'varchar', length: 64, name: 'credential_type' },
    createdAt: { ...isoTime, name: 'created_at' },
  },
  uniques: [{ name: 'uq_trust', columns: ['organisationId', 'issuerDid', 'credentialType'] }],
})

export const DidEventEntity = new EntitySchema<DidEventRow>({
  name: 'clavis_did_event',
  columns: {
    id,
    organisationId: { type: 'varchar', length: 64, name: 'organisation_id' },
    kind: { type: 'varchar', length: 32 },
    detail: { type: 'text' },
    txHash: { type: 'varchar', length: 80, nullable: true, name: 'tx_hash' },
    at: isoTime,
  },
})

export const StatusGroupEntity = new EntitySchema<StatusGroupRow>({
  name: 'clavis_status_group',
  columns: {
    id,
    organisationId: { type: 'varchar', length: 64, name: 'organisation_id' },
    issuerDid: { type: 'varchar', length: 256, name: 'issuer_did' },
    format: { type: 'varchar', length: 16 },
    size: { type: 'integer' },
    bits: { type: 'integer' },
    full: { type: 'boolean', default: false },
    version: { type: 'integer', default: 0 },
    createdAt: { ...isoTime, name: 'created_at' },
  },
})

export const UploadedListEntity = new EntitySchema<UploadedListRow>({
  name: 'clavis_uploaded_list',
  columns: {
    id,
    issuerDid: { type: 'varchar', length: 256, name: 'issuer_did' },
    name: { type: 'varchar', length: 64 },
    jwt: { type: 'text' },
    // bigint on PostgreSQL, which the driver returns as a string.
    issuedAt: {
      type: 'integer',
      name: 'issued_at',
      transformer: { from: (v: string | number) => Number(v), to: (v: number) => v },
    },
    updatedAt: { ...isoTime, name: 'updated_at' },
  },
})

export const NonceEntity = new EntitySchema<NonceRow>({
  name: 'clavis_nonce',
  columns: {
    nonce: { type: 'varchar', length: 64, primary: true },
    organisationId: { type: 'varchar', length: 64, name: 'organisation_id' },
    audience: { type: 'varchar', length: 256 },
    expiresAt: { ...isoTime, name: 'expires_at' },
    usedAt: { ...isoTime, nullable: true, name: 'used_at' },
    secretHash: { type: 'varchar', length: 64, nullable: true, name: 'secret_hash' },
  },
})

export const DidOperationEntity = new EntitySchema<DidOperationRow>({
  name: 'clavis_did_operation',
  columns: {
    id,
    organisationId: { type: 'varchar', length: 64, name: 'organisation_id' },
    kind: { type: 'varchar', length: 32 },
    params: { type: 'text' },
    state: { type: 'varchar', length: 16 },
    result: { type: 'text', nullable: true },
    createdAt: { ...isoTime, name: 'created_at' },
    updatedAt: { ...isoTime, name: 'updated_at' },
  },
})

/** Every Clavis-owned entity (Veramo's are added separately). */
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
]
