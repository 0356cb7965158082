import { type FieldIssue, toFieldIssues } from '@clavis/api'
import { ClavisError } from '@clavis/errors'
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

/** How deep a request body may nest (no API body needs more than a few levels). */
const MAX_DEPTH = 32

/**
 * Why a parsed body is refused before its schema sees it — nesting deeper than {@link MAX_DEPTH},
 * or a string or key holding U+0000 (no database stores it as text) — with the field's path.
 * Iterative, so no input can exhaust the stack.
 */
function refusal(value: unknown): { path: string; message: string } | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }]
  while (stack.length > 0) {
    const { value: v, path, depth } = stack.pop()!
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return { path, message: 'text may not contain the NUL character (U+0000)' }
      continue
    }
    if (typeof v !== 'object' || v === null) continue
    if (depth >= MAX_DEPTH) return { path, message: `nested more than ${MAX_DEPTH} levels deep` }
    for (const [k, child] of Object.entries(v)) {
      const here = path ? `${path}.${k}` : k
      if (k.includes('\u0000')) return { path: here, message: 'a key may not contain U+0000' }
      stack.push({ value: child, path: here, depth: depth + 1 })
    }
  }
  return undefined
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
  const refused = refusal(raw)
  if (refused) {
    throw new ClavisError({
      code: 'invalid_request',
      message: `Bad field "${refused.path || '(root)'}": ${refused.message}.`,
      issues: [{ path: refused.path, code: 'invalid_value', message: refused.message }],
    })
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
