import { z } from 'zod'

/** One entry of an audit trail: what happened (identifiers and codes only) and its place in the chain. */
export const auditEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  kind: z.string(),
  event: z.record(z.string(), z.unknown()),
  prev: z.string(),
  hash: z.string(),
})
export type AuditEntry = z.infer<typeof auditEntrySchema>

/** `GET /v1/organisations/{id}/audit`: a page of the trail, oldest first; `next` is the `after` of the next page. */
export const auditPageResponse = z.object({
  entries: z.array(auditEntrySchema),
  next: z.number().int().optional(),
})

/** A signed checkpoint: the trail's size and head hash, in a JWT by the organisation's DID. */
export const auditCheckpointSchema = z.object({
  size: z.number().int(),
  head: z.string(),
  jwt: z.string(),
  at: z.string(),
})

export const auditCheckpointListResponse = z.object({ checkpoints: z.array(auditCheckpointSchema) })

const checkedCheckpoint = z.object({
  size: z.number().int(),
  head: z.string(),
  source: z.enum(['database', 'given']),
  verified: z.boolean(),
  reason: z.string().optional(),
})

/** `POST …/audit/verify`: the verdict, and where the first problem is. */
export const auditVerificationResponse = z.object({
  chain: z.string(),
  ok: z.boolean(),
  count: z.number().int(),
  lastSeq: z.number().int().optional(),
  head: z.string().optional(),
  problem: z
    .object({
      code: z.enum(['altered', 'missing', 'reordered', 'broken_link', 'head_mismatch', 'checkpoint_invalid']),
      seq: z.number().int(),
      message: z.string(),
    })
    .optional(),
  checkpoints: z.array(checkedCheckpoint),
})
export type AuditVerificationResponse = z.infer<typeof auditVerificationResponse>

/** A FHIR R4 Bundle of AuditEvent resources (IHE Basic Audit Log Patterns). */
export const auditEventBundleResponse = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.string(),
  entry: z
    .array(z.looseObject({ resource: z.looseObject({ resourceType: z.literal('AuditEvent') }) }))
    .optional(),
})
