import { ClavisError, parseRequest } from '@clavis/api'
import type { Context } from 'hono'
import type { z } from 'zod'

/**
 * Reads a JSON request body and parses it with `schema`. Wrong content type → 415, bad JSON → 400
 * `malformed_json`, bad fields → 400 `invalid_request` with their paths.
 *
 * @example
 * const body = await readBody(c, createOrganisationRequest)
 */
export async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? ''
  if (!/^application\/json\b/i.test(type)) {
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
  return parseRequest(schema, raw)
}
