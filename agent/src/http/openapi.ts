import {
  addKeyRequest,
  addServiceRequest,
  createOrganisationRequest,
  ERROR_STATUS,
  issueCredentialRequest,
  presentationRequestRequest,
  rotateKeyRequest,
  statusChangeRequest,
  trustEntryRequest,
  verifyPresentationRequest,
  verifyRequest,
} from '@clavis/api'
import { z } from 'zod'

type Op = {
  summary: string
  auth?: 'admin' | 'staff'
  body?: string
  /** Media types of a body that is not JSON (the schema is a string: a compact JWT). */
  rawBody?: string[]
  ok: number
  params?: string[]
}

const PATHS: Record<string, Record<string, Op>> = {
  '/v1/openapi.json': { get: { summary: 'This OpenAPI 3.1 document', ok: 200 } },
  '/v1/health': { get: { summary: 'Chain id, latest block, registry address, database', ok: 200 } },
  '/v1/me': { get: { summary: 'Who the bearer token belongs to', auth: 'staff', ok: 200 } },
  '/v1/organisations': {
    get: { summary: 'List organisations', ok: 200 },
    post: {
      summary: 'Create an organisation (DID on chain, staff token shown once)',
      auth: 'admin',
      body: 'CreateOrganisationRequest',
      ok: 201,
    },
  },
  '/v1/organisations/{id}': { get: { summary: 'One organisation', ok: 200, params: ['id'] } },
  '/v1/organisations/{id}/token': {
    post: { summary: "Replace the organisation's staff token", auth: 'admin', ok: 201, params: ['id'] },
  },
  '/v1/dids/{did}': { get: { summary: 'Resolve any DID (DID resolution result)', ok: 200, params: ['did'] } },
  '/v1/organisations/{id}/did': {
    get: { summary: "The organisation's DID document and change history", ok: 200, params: ['id'] },
  },
  '/v1/organisations/{id}/did/services': {
    post: {
      summary: 'Add a service endpoint on chain',
      auth: 'staff',
      body: 'AddServiceRequest',
      ok: 201,
      params: ['id'],
    },
  },
  '/v1/organisations/{id}/did/keys': {
    post: {
      summary: 'Add a delegate signing key on chain',
      auth: 'staff',
      body: 'AddKeyRequest',
      ok: 201,
      params: ['id'],
    },
  },
  '/v1/organisations/{id}/did/keys/{kid}': {
    delete: { summary: 'Revoke a delegate key on chain', auth: 'staff', ok: 200, params: ['id', 'kid'] },
  },
  '/v1/organisations/{id}/did/rotate': {
    post: {
      summary: 'Rotate the controller key (routine | compromise)',
      auth: 'staff',
      body: 'RotateKeyRequest',
      ok: 200,
      params: ['id'],
    },
  },
  '/v1/organisations/{id}/did/deactivate': {
    post: { summary: 'Deactivate the DID (irreversible)', auth: 'staff', ok: 200, params: ['id'] },
  },
  '/v1/organisations/{id}/credentials': {
    get: { summary: 'Credentials the organisation issued', auth: 'staff', ok: 200, params: ['id'] },
    post: {
      summary: 'Issue a JWT-VC, or an SD-JWT VC bound to holderJwk (format dc+sd-jwt)',
      auth: 'staff',
      body: 'IssueCredentialRequest',
      ok: 201,
      params: ['id'],
    },
  },
  '/v1/organisations/{id}/credentials/{credentialId}': {
    get: { summary: 'One issued credential', auth: 'staff', ok: 200, params: ['id', 'credentialId'] },
  },
  '/v1/organisations/{id}/trust': {
    get: { summary: 'The trust list', auth: 'staff', ok: 200, params: ['id'] },
    post: {
      summary: 'Trust an issuer for credential types',
      auth: 'staff',
      body: 'TrustEntryRequest',
      ok: 201,
      params: ['id'],
    },
  },
  '/v1/organisations/{id}/trust/{issuer}': {
    delete: { summary: 'Stop trusting an issuer', auth: 'staff', ok: 200, params: ['id', 'issuer'] },
  },
  '/v1/verify': {
    post: { summary: 'Verify a JWT-VC (envelope with every check)', body: 'VerifyRequest', ok: 200 },
  },
  '/v1/organisations/{id}/credentials/{credentialId}/status': {
    post: {
      summary: 'Revoke (final), suspend or reinstate a credential; republishes its status lists',
      auth: 'staff',
      body: 'StatusChangeRequest',
      ok: 200,
      params: ['id', 'credentialId'],
    },
  },
  '/v1/status-lists/{group}/{name}': {
    get: {
      summary: 'A signed status list (bitstring JWT-VC or statuslist+jwt), cacheable for its ttl',
      ok: 200,
      params: ['group', 'name'],
    },
  },
  '/v1/status-lists/dids/{did}/{name}': {
    get: { summary: 'A status list uploaded by a DID', ok: 200, params: ['did', 'name'] },
    put: {
      summary: 'Upload a status list signed by that DID, newer than the one held (body: the JWT)',
      rawBody: ['application/statuslist+jwt', 'application/vc+jwt', 'application/jwt'],
      ok: 201,
      params: ['did', 'name'],
    },
  },
  '/v1/organisations/{id}/presentation-requests': {
    post: {
      summary: 'A single-use nonce for a presentation to this organisation',
      auth: 'staff',
      body: 'PresentationRequestRequest',
      ok: 201,
      params: ['id'],
    },
  },
  '/v1/verify/presentation': {
    post: {
      summary: 'Verify a JWT VP or an SD-JWT VC presentation made for a verifier with its nonce',
      body: 'VerifyPresentationRequest',
      ok: 200,
    },
  },
}

let cached: unknown

/** The OpenAPI 3.1 document of the agent's API, built from the request schemas in `@clavis/api`. */
export function buildOpenApi(): unknown {
  if (cached) return cached
  const schemas: Record<string, unknown> = {
    CreateOrganisationRequest: z.toJSONSchema(createOrganisationRequest),
    AddServiceRequest: z.toJSONSchema(addServiceRequest),
    AddKeyRequest: z.toJSONSchema(addKeyRequest),
    RotateKeyRequest: z.toJSONSchema(rotateKeyRequest),
    IssueCredentialRequest: z.toJSONSchema(issueCredentialRequest),
    TrustEntryRequest: z.toJSONSchema(trustEntryRequest),
    VerifyRequest: z.toJSONSchema(verifyRequest),
    StatusChangeRequest: z.toJSONSchema(statusChangeRequest),
    PresentationRequestRequest: z.toJSONSchema(presentationRequestRequest),
    VerifyPresentationRequest: z.toJSONSchema(verifyPresentationRequest),
    Error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: Object.keys(ERROR_STATUS) },
        message: { type: 'string' },
        path: { type: 'string' },
        issues: { type: 'array', items: { type: 'object' } },
      },
    },
  }
  for (const s of Object.values(schemas)) delete (s as { $schema?: string }).$schema
  const paths: Record<string, Record<string, unknown>> = {}
  for (const [path, ops] of Object.entries(PATHS)) {
    paths[path] = {}
    for (const [method, op] of Object.entries(ops)) {
      paths[path][method] = {
        summary: op.summary,
        ...(op.auth ? { security: [{ bearer: [] }], 'x-clavis-role': op.auth } : {}),
        ...(op.params
          ? {
              parameters: op.params.map((name) => ({
                name,
                in: 'path',
                required: true,
                schema: { type: 'string' },
              })),
            }
          : {}),
        ...(op.body
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: { $ref: `#/components/schemas/${op.body}` } } },
              },
            }
          : {}),
        ...(op.rawBody
          ? {
              requestBody: {
                required: true,
                content: Object.fromEntries(
                  op.rawBody.map((type) => [type, { schema: { type: 'string', maxLength: 65536 } }]),
                ),
              },
            }
          : {}),
        responses: {
          [op.ok]: {
            description: 'Success',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
          '4XX': {
            description: 'Bad input, auth or state; `code` is stable',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
        },
      }
    }
  }
  cached = {
    openapi: '3.1.0',
    info: { title: 'Clavis agent API', version: '0.1.0' },
    servers: [{ url: '/' }],
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  }
  return cached
}
