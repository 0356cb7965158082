import { ClavisError, type FieldIssue, toFieldIssues } from '@clavis/api'
import type { Context } from 'hono'
import type { z } from 'zod'

/**
 * One field issue per unknown key, at the key's own path (zod reports them together at the
 * enclosing object, which would name `(root)` instead of the field to remove).
 */
function fieldIssuesOf(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: [...issue.path.map(String), key].join('.'),
          code: 'unknown_field',
          message: `Unknown field "${key}"; remove it.`,
        }))
      : toFieldIssues([issue]),
  )
}

/**
 * Reads a JSON request body and parses it with `schema`. Wrong content type → 415, bad JSON → 400
 * `malformed_json`, bad fields → 400 `invalid_request` with their paths.
 *
 * @example
 * const body = await readBody(c, createOrganisationRequest)
 */
export async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? ''
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ClavisError({
      code: 'unsupported_media_type',
      message: 'Send the body as JSON with "Content-Type: application/json".',
    })
  }
  let raw: unknown
  try {
    raw = JSON.parse(await c.req.text())
  } catch {
    throw new ClavisError({ code: 'malformed_json', message: 'The body is not valid JSON.' })
  }
  const result = schema.safeParse(raw)
  if (result.success) return result.data
  const issues = fieldIssuesOf(result.error.issues)
  const first = issues[0]
  throw new ClavisError({
    code: 'invalid_request',
    message: first ? `Bad field "${first.path}": ${first.message}` : 'The request body is not valid.',
    issues,
  })
}
