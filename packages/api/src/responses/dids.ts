import { z } from 'zod'
import { organisationStatusSchema } from './organisations'

const verificationMethodSchema = z.looseObject({
  id: z.string(),
  type: z.string(),
  controller: z.string(),
})

/** A verification relationship names a method by id, or embeds it. */
const relationshipSchema = z.array(z.union([z.string(), verificationMethodSchema])).optional()

const serviceSchema = z.looseObject({
  id: z.string(),
  type: z.string(),
  serviceEndpoint: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]),
})

/** A DID document (DID Core); methods may add members. */
export const didDocumentSchema = z.looseObject({
  '@context': z
    .union([z.string(), z.array(z.union([z.string(), z.record(z.string(), z.unknown())]))])
    .optional(),
  id: z.string(),
  controller: z.union([z.string(), z.array(z.string())]).optional(),
  alsoKnownAs: z.array(z.string()).optional(),
  verificationMethod: z.array(verificationMethodSchema).optional(),
  authentication: relationshipSchema,
  assertionMethod: relationshipSchema,
  keyAgreement: relationshipSchema,
  capabilityInvocation: relationshipSchema,
  capabilityDelegation: relationshipSchema,
  service: z.array(serviceSchema).optional(),
})

/** `GET /v1/dids/{did}`: a DID resolution result (DID Core § 7.1). */
export const didResolutionResponse = z.looseObject({
  didResolutionMetadata: z.looseObject({ contentType: z.string().optional(), error: z.string().optional() }),
  didDocument: didDocumentSchema.nullable(),
  didDocumentMetadata: z.looseObject({
    deactivated: z.boolean().optional(),
    versionId: z.string().optional(),
    updated: z.string().optional(),
    nextVersionId: z.string().optional(),
    nextUpdate: z.string().optional(),
  }),
})
export type DidResolutionResponse = z.infer<typeof didResolutionResponse>

/** `GET /v1/organisations/{id}/did`: the DID, its resolution, the keys the agent holds, its history. */
export const organisationDidResponse = z.object({
  did: z.string(),
  status: organisationStatusSchema,
  resolution: didResolutionResponse,
  keys: z.array(
    z.object({
      kid: z.string(),
      publicKeyHex: z.string(),
      /** controller: manages the DID; assertion: signs credentials and status lists; delegate: added by hand. */
      role: z.enum(['controller', 'assertion', 'delegate']),
    }),
  ),
  events: z.array(
    z.object({
      kind: z.string(),
      detail: z.record(z.string(), z.unknown()),
      txHash: z.string().nullable(),
      at: z.string(),
    }),
  ),
})

/** A change on chain: its transaction, or null when the chain already held it (a completed retry). */
export const chainChangeResponse = z.object({ txHash: z.string().nullable() })

/** `POST /v1/organisations/{id}/did/keys`: the new delegate key. */
export const delegateKeyResponse = z.object({
  kid: z.string(),
  publicKeyHex: z.string(),
  txHash: z.string().nullable(),
  validUntil: z.string(),
})

/** A delegate or key attribute on chain that a compromise rotation revoked. */
const revokedEntrySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('delegate'), type: z.string(), address: z.string() }),
  z.object({ kind: z.literal('attribute'), name: z.string(), value: z.string() }),
])

/** `POST /v1/organisations/{id}/did/rotate`: what the rotation did. */
export const rotationResponse = z.object({
  policy: z.enum(['routine', 'compromise']),
  /** The signing (assertion) key replaced and its successor, as `GET …/did` lists keys. */
  oldKid: z.string(),
  newKid: z.string(),
  txHashes: z.array(z.string()),
  /** routine: until when what the old keys signed can still be verified (on chain). */
  oldKeyVerifiableUntil: z.string().optional(),
  /** compromise: credentials signed with the old keys, which no longer verify and must be re-issued. */
  reissue: z.array(z.object({ id: z.string(), type: z.string(), subjectDid: z.string() })),
  /** compromise: delegates and key attributes that this agent did not add, now revoked. */
  revoked: z.array(revokedEntrySchema),
})
export type RotationResponse = z.infer<typeof rotationResponse>
