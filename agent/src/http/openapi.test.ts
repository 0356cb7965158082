import { ERROR_CODES } from '@clavis/errors'
import { describe, expect, it } from 'vitest'
import { buildOpenApi } from './openapi'

type Schema = Record<string, unknown>

const doc = buildOpenApi()
const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({
    name: `${method.toUpperCase()} ${path}`,
    op: op as Schema,
  })),
)

function resolve(schema: Schema): Schema {
  const ref = schema.$ref
  if (typeof ref !== 'string') return schema
  const found = doc.components.schemas[ref.replace('#/components/schemas/', '')]
  if (!found) throw new Error(`unknown ${ref}`)
  return found
}

/** Where in `schema` an object is described only as `{ type: 'object' }` (nothing about its members). */
function bareObjects(schema: unknown, at: string): string[] {
  if (Array.isArray(schema)) return schema.flatMap((s, i) => bareObjects(s, `${at}[${i}]`))
  if (typeof schema !== 'object' || schema === null) return []
  const s = schema as Schema
  const bare =
    s.type === 'object' && s.properties === undefined && s.additionalProperties === undefined ? [at] : []
  return [...bare, ...Object.entries(s).flatMap(([k, v]) => bareObjects(v, `${at}.${k}`))]
}

describe('the OpenAPI document', () => {
  it('documents a real schema for every response, never a bare { type: object }', () => {
    for (const { name, op } of operations) {
      const responses = op.responses as Record<string, { content: Record<string, { schema: Schema }> }>
      expect(
        Object.keys(responses).some((s) => /^2\d\d$/.test(s)),
        name,
      ).toBe(true)
      expect(responses['4XX'], name).toBeDefined()
      for (const [status, response] of Object.entries(responses)) {
        for (const [type, { schema }] of Object.entries(response.content)) {
          const where = `${name} ${status} ${type}`
          const resolved = resolve(schema)
          expect(Object.keys(resolved).length, where).toBeGreaterThan(0)
          expect(bareObjects(resolved, where)).toEqual([])
          if (type === 'application/json')
            expect(resolved.properties ?? resolved.anyOf ?? resolved.oneOf, where).toBeDefined()
          else expect(resolved.type, where).toBe('string')
        }
      }
    }
    expect(bareObjects(doc.components.schemas, 'components')).toEqual([])
  })

  it('the error schema lists every error code and names the bad fields', () => {
    const error = doc.components.schemas.Error as Schema & { properties: Record<string, Schema> }
    expect(error.required).toEqual(['code', 'message'])
    expect(error.properties.code?.enum).toEqual([...ERROR_CODES])
    expect(error.properties.issues?.items).toMatchObject({ required: ['path', 'code', 'message'] })
  })

  it('names the operation, who may call it, and its query and header parameters', () => {
    const credentials = doc.paths['/v1/organisations/{id}/credentials']!
    expect(credentials.post).toMatchObject({ operationId: 'issueCredential', 'x-clavis-role': 'staff' })
    expect((credentials.post!.parameters as Schema[]).map((p) => `${p.in} ${p.name} ${p.required}`)).toEqual([
      'path id true',
      'header Idempotency-Key false',
    ])
    expect((credentials.get!.parameters as Schema[]).map((p) => `${p.in} ${p.name}`)).toEqual([
      'path id',
      'query limit',
      'query offset',
      'query reissueRequired',
    ])
    expect(doc.paths['/v1/verify']?.post).not.toHaveProperty('security')
    expect(doc.paths['/v1/health']?.get?.responses).toMatchObject({
      503: {
        content: {
          'application/json': {
            schema: {
              anyOf: [{ $ref: '#/components/schemas/Health' }, { $ref: '#/components/schemas/Error' }],
            },
          },
        },
      },
    })
  })

  it('says which answers pages of other origins may read, and only those', () => {
    const crossOrigin = operations
      .filter(({ op }) => op['x-clavis-cross-origin'] === true)
      .map(({ name }) => name)
    expect(crossOrigin).toEqual([
      'GET /v1/openapi.json',
      'GET /v1/dids/{did}',
      'GET /v1/status-lists/{group}/{name}',
      'GET /v1/status-lists/dids/{did}/{name}',
      'GET /v1/organisations/{id}/audit/checkpoints',
    ])
    const answers = (name: string) =>
      Object.values(operations.find((o) => o.name === name)!.op.responses as Record<string, Schema>)
    for (const name of crossOrigin)
      for (const answer of answers(name))
        expect(answer.headers, name).toMatchObject({
          'Access-Control-Allow-Origin': { schema: { const: '*' } },
        })
    for (const answer of answers('PUT /v1/status-lists/dids/{did}/{name}'))
      expect(answer).not.toHaveProperty('headers')
  })
})
