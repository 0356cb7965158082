import { z } from 'zod'

/** The embedded chain's process, as the operator sees it. */
const chainProcessSchema = z.object({
  running: z.boolean(),
  restarts: z.number().int().min(0),
  lastRestartAt: z.string().nullable(),
  /** Why the last restart was needed. */
  lastExit: z.string().nullable(),
})

/**
 * `GET /v1/health`. Anyone sees `status` and the chain a verifier needs; the operator (admin token)
 * also sees the fields marked optional here: why it is degraded, the chain's process and RPC
 * origin, the database and free disk space.
 */
export const healthResponse = z.object({
  status: z.enum(['ok', 'degraded']),
  chain: z.object({
    chainId: z.number().int().min(1),
    registry: z.string(),
    /** null when the chain did not answer within 2 s. */
    latestBlock: z.number().int().min(0).nullable(),
    embedded: z.boolean().optional(),
    rpcOrigin: z.string().optional(),
    process: chainProcessSchema.optional(),
  }),
  /** Where the agent's issuers, verifiers and status lists are (its `CLAVIS_PUBLIC_URL`). */
  publicUrl: z.string().optional(),
  version: z.string().optional(),
  problems: z.array(z.string()).optional(),
  database: z.object({ type: z.enum(['sqlite', 'postgres']) }).optional(),
  disk: z.object({ freeBytes: z.number().min(0).nullable() }).optional(),
})
export type HealthResponse = z.infer<typeof healthResponse>
