import type { z } from 'zod'
import { ClavisError, type FieldIssue } from './errors'

/** Turns zod issues into API field issues with dotted paths. */
export function toFieldIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  return issues.flatMap((issue) => {
    const base = issue.path.map(String)
    if (issue.code === 'unrecognized_keys') {
      // One issue per unknown key, pointing at the key itself.
      return issue.keys.map((key) => ({
        path: [...base, key].join('.'),
        code: 'unknown_field',
        message: `Unknown field "${key}"`,
      }))
    }
    return [{ path: base.join('.') || '(root)', code: issue.code, message: issue.message }]
  })
}

/**
 * Parses a request body with a schema; throws `ClavisError('invalid_request')` naming the bad fields.
 *
 * @example
 * const req = parseRequest(createOrganisationRequest, await c.req.json())
 */
export function parseRequest<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body)
  if (result.success) return result.data
  const issues = toFieldIssues(result.error.issues)
  const first = issues[0]
  throw new ClavisError({
    code: 'invalid_request',
    message: first ? `Bad field "${first.path}": ${first.message}` : 'The request body is not valid.',
    issues,
  })
}
