import { EntitySchema } from 'typeorm'
import { idColumn, isoTimeColumn } from '../../db/columns'

// The table this slice owns (migration 009).

/** `pending` until the one response it accepts arrives (`responded`); expiry is computed. */
export type VpRequestState = 'pending' | 'responded'

/** An OpenID4VP presentation request of a verifier organisation and, once answered, its result. */
export interface VpRequestRow {
  id: string
  organisationId: string
  nonce: string
  /** JSON of the authorization request's parameters (what the request object says). */
  requestPayload: string
  /** The signed request object served at the `request_uri`. */
  requestJwt: string
  state: VpRequestState
  expiresAt: string
  /** JSON of the result: every check and only the claims asked for. */
  result: string | null
  createdAt: string
  respondedAt: string | null
  /** `present` (staff asked for a presentation) or `access` (a clinician asked for records). */
  purpose: 'present' | 'access'
  /** SHA-256 of the secret the asker reads the request's outcome with (access requests). */
  codeHash: string | null
  /** JSON of an access request's state (features/access): patient, emergency, decision, token. */
  access: string | null
}

export const VpRequestEntity = new EntitySchema<VpRequestRow>({
  name: 'clavis_vp_request',
  columns: {
    id: idColumn,
    organisationId: { type: 'varchar', length: 64, name: 'organisation_id' },
    nonce: { type: 'varchar', length: 64 },
    requestPayload: { type: 'text', name: 'request_payload' },
    requestJwt: { type: 'text', name: 'request_jwt' },
    state: { type: 'varchar', length: 16 },
    expiresAt: { ...isoTimeColumn, name: 'expires_at' },
    result: { type: 'text', nullable: true },
    createdAt: { ...isoTimeColumn, name: 'created_at' },
    respondedAt: { ...isoTimeColumn, nullable: true, name: 'responded_at' },
    purpose: { type: 'varchar', length: 16, default: 'present' },
    codeHash: { type: 'varchar', length: 64, nullable: true, name: 'code_hash' },
    access: { type: 'text', nullable: true },
  },
})
