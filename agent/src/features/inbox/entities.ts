import { EntitySchema } from 'typeorm'
import { idColumn, isoTimeColumn } from '../../db/columns'

// The tables this slice owns (migration 010).

/** A message left for a DID: a JWE the agent cannot read. */
export interface InboxMessageRow {
  id: string
  organisationId: string
  recipientDid: string
  /** A patient of the organisation (proved with their DID's key): only they leave messages. */
  senderDid: string
  jwe: string
  createdAt: string
  expiresAt: string
}

export const InboxMessageEntity = new EntitySchema<InboxMessageRow>({
  name: 'clavis_inbox_message',
  columns: {
    id: idColumn,
    organisationId: { type: 'varchar', length: 64, name: 'organisation_id' },
    recipientDid: { type: 'varchar', length: 200, name: 'recipient_did' },
    senderDid: { type: 'varchar', length: 200, name: 'sender_did' },
    jwe: { type: 'text' },
    createdAt: { ...isoTimeColumn, name: 'created_at' },
    expiresAt: { ...isoTimeColumn, name: 'expires_at' },
  },
})

/** A DID's encryption key for its inbox, as the DID's holder signed it (a JWT by the DID's key). */
export interface InboxKeyRow {
  organisationId: string
  did: string
  binding: string
  updatedAt: string
}

export const InboxKeyEntity = new EntitySchema<InboxKeyRow>({
  name: 'clavis_inbox_key',
  columns: {
    organisationId: { type: 'varchar', length: 64, primary: true, name: 'organisation_id' },
    did: { type: 'varchar', length: 200, primary: true },
    binding: { type: 'text' },
    updatedAt: { ...isoTimeColumn, name: 'updated_at' },
  },
})
