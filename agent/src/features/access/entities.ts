import { EntitySchema } from 'typeorm'
import { idColumn, isoTimeColumn } from '../../db/columns'

// The tables this slice owns (migration 010).

/** Why a token was given: a verified licence and the patient's grant, or a declared emergency. */
export type AccessKind = 'grant' | 'break_glass'

/** Where a credential's status is read again at each use of a token (its list URL and index). */
export interface StatusReference {
  /** Which credential it is: a refusal names it. */
  role: 'licence' | 'grant'
  credentialId: string
  issuer: string
  format: 'jwt_vc' | 'dc+sd-jwt'
  /** `credentialStatus` of a JWT-VC, `status` of an SD-JWT VC, as the credential carried it. */
  status: unknown
}

/** An access token (stored as its hash), bound to the presenter's key (DPoP `jkt`). */
export interface AccessTokenRow {
  id: string
  organisationId: string
  tokenHash: string
  clinicianDid: string
  patientId: string
  /** JSON array of SMART v2 scopes, e.g. `patient/Observation.rs`. */
  scopes: string
  /** RFC 7638 thumbprint of the presenter's key: each request's DPoP proof must be signed by it. */
  jkt: string
  /** HL7 v3 PurposeOfUse (`TREAT`…, `BTG` for an emergency). */
  purpose: string
  kind: AccessKind
  /** JSON of the credentials' status references, checked again at every use. */
  checks: string
  /** An emergency's stated reason. */
  reason: string | null
  expiresAt: string
  createdAt: string
}

export const AccessTokenEntity = new EntitySchema<AccessTokenRow>({
  name: 'clavis_access_token',
  columns: {
    id: idColumn,
    organisationId: { type: 'varchar', length: 64, name: 'organisation_id' },
    tokenHash: { type: 'varchar', length: 64, name: 'token_hash' },
    clinicianDid: { type: 'varchar', length: 200, name: 'clinician_did' },
    patientId: { type: 'varchar', length: 64, name: 'patient_id' },
    scopes: { type: 'text' },
    jkt: { type: 'varchar', length: 64 },
    purpose: { type: 'varchar', length: 16 },
    kind: { type: 'varchar', length: 16 },
    checks: { type: 'text' },
    reason: { type: 'text', nullable: true },
    expiresAt: { ...isoTimeColumn, name: 'expires_at' },
    createdAt: { ...isoTimeColumn, name: 'created_at' },
  },
})
