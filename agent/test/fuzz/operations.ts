// The operations of the agent's OpenAPI document, as the fuzz test sends them.
import type { JsonSchema } from './schema'

/** One operation: its route, who may call it, and what it takes. */
export interface Operation {
  method: string
  path: string
  summary: string
  role: 'admin' | 'staff' | undefined
  params: string[]
  /** Documented query and header parameters (fuzzed too when there are any). */
  query: { name: string; schema: JsonSchema }[]
  headers: { name: string; schema: JsonSchema }[]
  /** JSON body schema, when the body is JSON. */
  schema: JsonSchema | undefined
  /** Media types of a raw (JWT) body. */
  rawTypes: string[] | undefined
}

/** The operations of the OpenAPI document. */
export function operationsOf(doc: {
  paths: Record<string, Record<string, Record<string, unknown>>>
}): Operation[] {
  const ops: Operation[] = []
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const declared =
        (op.parameters as { name: string; in: string; schema?: JsonSchema }[] | undefined) ?? []
      const params = declared.filter((p) => p.in === 'path').map((p) => p.name)
      const named = (where: string) =>
        declared.filter((p) => p.in === where).map((p) => ({ name: p.name, schema: p.schema ?? {} }))
      const content = (op.requestBody as { content?: Record<string, { schema: JsonSchema }> } | undefined)
        ?.content
      const types = Object.keys(content ?? {})
      ops.push({
        method: method.toUpperCase(),
        path,
        summary: String(op.summary ?? ''),
        role: op['x-clavis-role'] as Operation['role'],
        params,
        query: named('query'),
        headers: named('header'),
        schema: content?.['application/json']?.schema,
        rawTypes: types.length && !content?.['application/json'] ? types : undefined,
      })
    }
  }
  // What cannot be undone goes last, so it does not hide the rest (e.g. a deactivated DID refuses writes).
  const last = (o: Operation) => (/irreversible/i.test(o.summary) ? 1 : 0)
  return ops.sort((a, b) => last(a) - last(b))
}
