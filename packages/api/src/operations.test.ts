import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { COMPONENT_SCHEMAS } from './components'
import { OPERATIONS } from './operations'

describe('OPERATIONS', () => {
  it('names every operation once, in the order of the API', () => {
    expect(
      Object.entries(OPERATIONS).map(([name, op]) => `${name}: ${op.method} ${op.path}`),
    ).toMatchInlineSnapshot(`
      [
        "getOpenApi: GET /v1/openapi.json",
        "getHealth: GET /v1/health",
        "whoAmI: GET /v1/me",
        "listOrganisations: GET /v1/organisations",
        "createOrganisation: POST /v1/organisations",
        "getOrganisation: GET /v1/organisations/{id}",
        "resetOrganisationToken: POST /v1/organisations/{id}/token",
        "resolveDid: GET /v1/dids/{did}",
        "getOrganisationDid: GET /v1/organisations/{id}/did",
        "addDidService: POST /v1/organisations/{id}/did/services",
        "addDidKey: POST /v1/organisations/{id}/did/keys",
        "revokeDidKey: DELETE /v1/organisations/{id}/did/keys/{kid}",
        "rotateDidKey: POST /v1/organisations/{id}/did/rotate",
        "deactivateDid: POST /v1/organisations/{id}/did/deactivate",
        "listCredentials: GET /v1/organisations/{id}/credentials",
        "issueCredential: POST /v1/organisations/{id}/credentials",
        "getCredential: GET /v1/organisations/{id}/credentials/{credentialId}",
        "getTrustList: GET /v1/organisations/{id}/trust",
        "addTrust: POST /v1/organisations/{id}/trust",
        "removeTrust: DELETE /v1/organisations/{id}/trust/{issuer}",
        "verifyCredential: POST /v1/verify",
        "verifyCredentialBatch: POST /v1/organisations/{id}/verify/batch",
        "changeCredentialStatus: POST /v1/organisations/{id}/credentials/{credentialId}/status",
        "getStatusList: GET /v1/status-lists/{group}/{name}",
        "getUploadedStatusList: GET /v1/status-lists/dids/{did}/{name}",
        "uploadStatusList: PUT /v1/status-lists/dids/{did}/{name}",
        "createOffer: POST /v1/organisations/{id}/offers",
        "getOffer: GET /v1/organisations/{id}/offers/{offerId}",
        "createVpRequest: POST /v1/organisations/{id}/oid4vp/requests",
        "registerPatient: POST /v1/organisations/{id}/patients",
        "listPatients: GET /v1/organisations/{id}/patients",
        "getPatient: GET /v1/organisations/{id}/patients/{patientId}",
        "putRecords: PUT /v1/organisations/{id}/patients/{patientId}/records",
        "createAccessRequest: POST /v1/organisations/{id}/access/requests",
        "getAccessRequest: GET /v1/organisations/{id}/access/requests/{requestId}",
        "takeAccessToken: POST /v1/organisations/{id}/access/token",
        "publishInboxKey: PUT /v1/organisations/{id}/inbox/{did}/key",
        "getInboxKey: GET /v1/organisations/{id}/inbox/{did}/key",
        "deliverToInbox: POST /v1/organisations/{id}/inbox/{did}",
        "readInbox: GET /v1/organisations/{id}/inbox/{did}",
        "removeInboxMessage: DELETE /v1/organisations/{id}/inbox/{did}/{messageId}",
        "getAccessReport: GET /v1/organisations/{id}/access-report/{did}",
        "listAudit: GET /v1/organisations/{id}/audit",
        "verifyAudit: POST /v1/organisations/{id}/audit/verify",
        "exportAudit: GET /v1/organisations/{id}/audit/fhir",
        "createAuditCheckpoint: POST /v1/organisations/{id}/audit/checkpoints",
        "listAuditCheckpoints: GET /v1/organisations/{id}/audit/checkpoints",
        "getVpRequest: GET /v1/organisations/{id}/oid4vp/requests/{requestId}",
        "createPresentationRequest: POST /v1/organisations/{id}/presentation-requests",
        "verifyPresentation: POST /v1/verify/presentation",
      ]
    `)
    const routes = Object.values(OPERATIONS).map((op) => `${op.method} ${op.path}`)
    expect(new Set(routes).size).toBe(routes.length)
  })

  it('each operation answers one success status; GET and DELETE take no body', () => {
    for (const [name, op] of Object.entries(OPERATIONS)) {
      const statuses = Object.keys(op.responses).map(Number)
      expect(statuses, name).toHaveLength(1)
      expect(statuses[0]! >= 200 && statuses[0]! < 300, name).toBe(true)
      if (op.method === 'GET' || op.method === 'DELETE') expect('body' in op, name).toBe(false)
    }
  })

  it('response schemas only check: they transform nothing, so a checked body is returned as received', () => {
    for (const [name, op] of Object.entries(OPERATIONS)) {
      for (const answer of Object.values(op.responses)) {
        expect(JSON.stringify(z.toJSONSchema(answer.schema, { io: 'input' })), name).toBe(
          JSON.stringify(z.toJSONSchema(answer.schema, { io: 'output' })).replaceAll(
            ',"additionalProperties":false',
            '',
          ),
        )
      }
    }
  })

  it('lets pages of other origins read only public GETs: status lists, DID resolution, audit checkpoints, this document', () => {
    const crossOrigin = Object.entries(OPERATIONS).filter(([, op]) => 'crossOrigin' in op && op.crossOrigin)
    expect(crossOrigin.map(([name]) => name)).toEqual([
      'getOpenApi',
      'resolveDid',
      'getStatusList',
      'getUploadedStatusList',
      'listAuditCheckpoints',
    ])
    for (const [name, op] of crossOrigin) expect(`${op.method} ${op.auth}`, name).toBe('GET public')
  })

  it('names each component schema once', () => {
    expect(new Set(Object.values(COMPONENT_SCHEMAS)).size).toBe(Object.keys(COMPONENT_SCHEMAS).length)
  })
})
