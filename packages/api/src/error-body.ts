import { ERROR_CODES } from '@clavis/errors'
import { z } from 'zod'
import type { ErrorBody } from './errors'

/** A bad field: where it is (a dotted path), a code, and what is wrong. */
export const fieldIssueSchema = z.object({ path: z.string(), code: z.string(), message: z.string() })

/**
 * The body of every API error: a stable `code`, a message that says what to do next, and for bad
 * input the first bad field (`path`) and all of them (`issues`).
 *
 * @example
 * errorBodySchema.parse({ code: 'not_found', message: 'No organisation with id "x".' })
 */
export const errorBodySchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  path: z.string().optional(),
  issues: z.array(fieldIssueSchema).optional(),
}) satisfies z.ZodType<ErrorBody>
