// Shared by the HTTP API tests (api-*.e2e.test.ts): error assertions, tables of bad requests,
// request bodies and the calls many tests start with. Each test file starts its own agent.
import { ERROR_STATUS } from '@clavis/api'
import { generatePrivateKey, publicKeyOf, publicKeyToJwk } from '@clavis/crypto'
import { expect, it } from 'vitest'
import { MAX_BODY_BYTES } from '../src/http/app'
import { inDays, licenceClaims, patientClaims, type TestAgent } from './harness'
import type { HolderKey } from './holders'

export type Res = Awaited<ReturnType<TestAgent['request']>>
export type Req = Parameters<TestAgent['request']>[2]
type Org = TestAgent['board']

/**
 * Asserts an error answer: status, stable code (one of ERROR_STATUS, for that status), a message
 * and (optionally) the bad field.
 *
 * @example
 * expectError(await t.request('GET', '/v1/me'), 401, 'unauthorized')
 */
export function expectError(res: Res, status: number, code: string, path?: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code })
  expect(ERROR_STATUS[code as keyof typeof ERROR_STATUS]).toBe(status)
  expect(typeof res.body.message).toBe('string')
  expect(res.body.message.length).toBeGreaterThan(0)
  if (path !== undefined) expect(res.body.path).toBe(path)
}

/** One row of a bad-input table: name, request, expected status, code and field path. */
export type Case = [
  name: string,
  req: () => [string, string, Req],
  status: number,
  code: string,
  path?: string,
]

/**
 * One test per row: the request is answered with that error. `agent` is called when the test runs
 * (after the file's `beforeAll` started it).
 *
 * @example
 * badRequests(() => t, [['no token → 401', () => ['GET', '/v1/me', {}], 401, 'unauthorized']])
 */
export function badRequests(agent: () => TestAgent, cases: Case[]): void {
  it.each(cases)('%s', async (_name, req, status, code, path) => {
    const [method, url, options] = req()
    expectError(await agent().request(method, url, options), status, code, path)
  })
}

/** A raw JSON body (sent as is, so it can be malformed), with a staff token when given. */
export const json = (raw: string, token?: string): Req => ({
  raw,
  headers: { 'content-type': 'application/json' },
  ...(token ? { token } : {}),
})

/** A JSON body one byte over the API's limit. */
export const tooBig = () => JSON.stringify({ pad: 'a'.repeat(MAX_BODY_BYTES + 1) })

/** A P-256 public JWK. */
export function p256Jwk() {
  return publicKeyToJwk({ alg: 'ES256', publicKey: publicKeyOf('ES256', generatePrivateKey('ES256')) })
}

/** The body of a request to issue a licence (JWT-VC) to `subject`, valid for a year. */
export const licenceBody = (subject: string, overrides: Record<string, unknown> = {}) => ({
  type: 'ClinicianLicenseCredential',
  subject,
  claims: licenceClaims(),
  validUntil: inDays(365),
  ...overrides,
})

/** The body of a request to issue a patient identity as an SD-JWT VC bound to `holder`'s key. */
export const sdIdentityBody = (holder: HolderKey, overrides: Record<string, unknown> = {}) => ({
  type: 'PatientIdentityCredential',
  format: 'dc+sd-jwt',
  subject: holder.did,
  holderJwk: holder.jwk,
  claims: patientClaims(),
  validUntil: inDays(365),
  ...overrides,
})

/**
 * Issues a credential as `org` (its staff token); expects 201.
 *
 * @example
 * const { id, jwt } = await issue(t, t.board, licenceBody(clinician.did))
 */
export async function issue(t: TestAgent, org: Org, body: Record<string, unknown>) {
  const res = await t.request('POST', `/v1/organisations/${org.id}/credentials`, { token: org.token, body })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body as { id: string; jwt: string; format: string }
}

/**
 * A presentation request of `org` (the verifier): nonce, audience, expiry and the request's secret.
 *
 * @example
 * const { nonce, audience, requestSecret } = await nonceFor(t, t.hospital)
 */
export async function nonceFor(t: TestAgent, org: Org) {
  const res = await t.request('POST', `/v1/organisations/${org.id}/presentation-requests`, {
    token: org.token,
    body: {},
  })
  expect(res.status).toBe(201)
  return res.body as { nonce: string; audience: string; expiresAt: string; requestSecret: string }
}
