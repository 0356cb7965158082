import {
  type Body,
  COMPONENT_SCHEMAS,
  OPERATIONS,
  type OpenApiDocument,
  type Operation,
  type OperationName,
} from '@clavis/api'
import { z } from 'zod'

type JsonSchema = Record<string, unknown>

/** What error answers mean; each is `{ code, message, path?, issues? }` (the Error schema). */
const ERROR_ANSWERS = {
  '4XX': 'Bad input, auth or state; `code` is stable, `path` and `issues` name the bad fields',
  '5XX':
    'An outage (503 chain_unavailable, storage_unavailable, shutting_down; 507 insufficient_storage; with Retry-After) or 500 internal',
}

const NAME_OF: ReadonlyMap<z.ZodType, string> = new Map(
  Object.entries(COMPONENT_SCHEMAS).map(([name, schema]) => [schema as z.ZodType, name]),
)

/** A zod schema as JSON Schema: what it accepts (`io: 'input'`), without `$schema`. */
function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as JsonSchema
  return rest
}

/** A reference to the schema's component, or the schema itself when it has no name. */
function refOrInline(schema: z.ZodType): JsonSchema {
  const name = NAME_OF.get(schema)
  if (name) return { $ref: `#/components/schemas/${name}` }
  // A choice between named schemas (health's 503: Health or Error) refers to each.
  if (schema instanceof z.ZodUnion && schema.options.every((o) => NAME_OF.has(o as z.ZodType)))
    return { anyOf: schema.options.map((o) => refOrInline(o as z.ZodType)) }
  return jsonSchemaOf(schema)
}

/** The `content` of a request or response body. */
function contentOf(body: Body): Record<string, { schema: JsonSchema }> {
  if (body.kind === 'json') return { 'application/json': { schema: refOrInline(body.schema) } }
  const schema = jsonSchemaOf(body.schema)
  return Object.fromEntries(body.mediaTypes.map((type) => [type, { schema }]))
}

/** Path, query and header parameters. */
function parametersOf(op: Operation): JsonSchema[] {
  const path = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }))
  const named = (where: 'query' | 'header', object: z.ZodObject | undefined) =>
    Object.entries(object?.shape ?? {}).map(([name, schema]) => ({
      name,
      in: where,
      required: !(schema as z.ZodType).safeParse(undefined).success,
      schema: jsonSchemaOf(schema as z.ZodType),
    }))
  return [...path, ...named('query', op.query), ...named('header', op.headers)]
}

/** The CORS header every answer of a `crossOrigin` operation carries (see `http/cross-origin.ts`). */
const CROSS_ORIGIN_HEADERS = {
  'Access-Control-Allow-Origin': {
    description: 'Any origin may read this answer, without credentials (preflight answered for GET).',
    schema: { type: 'string', const: '*' },
  },
}

function responsesOf(op: Operation): Record<string, unknown> {
  const responses: Record<string, Record<string, unknown>> = {}
  for (const [status, body] of Object.entries(op.responses)) {
    responses[status] = { description: status === '201' ? 'Created' : 'OK', content: contentOf(body) }
  }
  for (const [status, other] of Object.entries(op.otherAnswers ?? {})) {
    responses[status] = { description: other.description, content: contentOf(other.body) }
  }
  for (const [range, description] of Object.entries(ERROR_ANSWERS)) {
    responses[range] = {
      description,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    }
  }
  if (op.crossOrigin) for (const response of Object.values(responses)) response.headers = CROSS_ORIGIN_HEADERS
  return responses
}

function operationObject(name: OperationName, op: Operation): Record<string, unknown> {
  const parameters = parametersOf(op)
  return {
    operationId: name,
    summary: op.summary,
    ...(op.auth === 'public' ? {} : { security: [{ bearer: [] }], 'x-clavis-role': op.auth }),
    ...(op.crossOrigin ? { 'x-clavis-cross-origin': true } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(op.body ? { requestBody: { required: true, content: contentOf(op.body) } } : {}),
    responses: responsesOf(op),
  }
}

let built: OpenApiDocument | undefined

/**
 * The OpenAPI 3.1 document of the agent's API, made from the contract in `@clavis/api`
 * (`OPERATIONS`): every operation's parameters, request body and responses as JSON Schema.
 *
 * @example
 * app.get('/v1/openapi.json', (c) => c.json(buildOpenApi()))
 */
export function buildOpenApi(): OpenApiDocument {
  if (built) return built
  const paths: Record<string, Record<string, Record<string, unknown>>> = {}
  for (const [name, op] of Object.entries(OPERATIONS) as [OperationName, Operation][]) {
    paths[op.path] ??= {}
    paths[op.path]![op.method.toLowerCase()] = operationObject(name, op)
  }
  const schemas = Object.fromEntries(
    Object.entries(COMPONENT_SCHEMAS).map(([name, schema]) => [name, jsonSchemaOf(schema)]),
  )
  built = {
    openapi: '3.1.0',
    info: { title: 'Clavis agent API', version: '0.1.0' },
    servers: [{ url: '/' }],
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  }
  return built
}
