import { beforeAll, describe, expect, it } from 'vitest'
import {
  createScenario,
  DAY,
  failedChecks,
  licence,
  NOW as now,
  REVOKED_INDEX,
  type Scenario,
  SUSPENDED_INDEX,
  SUSPENSION_URL,
  signVc,
  statusEntry,
} from '../test/kits/scenario'
import { createStatusServer, listSignerOf } from '../test/kits/status'
import { createStatusChecker } from './statusChecker'
import { verifyJwtCredential } from './verifyJwtCredential'

let scenario: Scenario

beforeAll(async () => {
  scenario = await createScenario()
})

const sign = (credential: object) => signVc(credential, scenario.board)

const verify = (jwt: string, overrides: Partial<Parameters<typeof verifyJwtCredential>[0]> = {}) =>
  verifyJwtCredential({
    jwt,
    resolver: scenario.resolver,
    trust: scenario.trust,
    status: scenario.status,
    now,
    ...overrides,
  })

describe('verifyJwtCredential: status', () => {
  it('passes a licence whose revocation bit is clear', async () => {
    const result = await verify(await sign(licence(scenario)))
    expect(result.checks.status).toEqual({ passed: true })
    expect(result.valid).toBe(true)
  })

  it('uses the current time when now is not given', async () => {
    const current = new Date()
    const url = 'https://board.example/status/today'
    const server = createStatusServer()
    await server.publishBitstring({ signer: listSignerOf(scenario.board), url })
    const credential = {
      ...licence(scenario, {
        validFrom: new Date(current.getTime() - DAY),
        validUntil: new Date(current.getTime() + DAY),
      }),
      credentialStatus: statusEntry({ url }),
    }
    const status = createStatusChecker({ fetchList: server.fetchList, resolver: scenario.resolver })
    const result = await verifyJwtCredential({
      jwt: await sign(credential),
      resolver: scenario.resolver,
      trust: scenario.trust,
      status,
    })
    expect(failedChecks(result)).toEqual({})
  })

  it('refuses a revoked licence on the status check only', async () => {
    const credential = licence(scenario, { credentialStatus: statusEntry({ index: REVOKED_INDEX }) })
    const result = await verify(await sign(credential))
    expect(result.valid).toBe(false)
    expect(failedChecks(result)).toEqual({ status: 'revoked' })
  })

  it('refuses a suspended licence', async () => {
    const credentialStatus = [
      statusEntry(),
      statusEntry({ url: SUSPENSION_URL, index: SUSPENDED_INDEX, purpose: 'suspension' }),
    ]
    const result = await verify(await sign(licence(scenario, { credentialStatus })))
    expect(failedChecks(result)).toEqual({ status: 'suspended' })
  })

  it('refuses a licence without credentialStatus with status_missing', async () => {
    const result = await verify(await sign(licence(scenario, { credentialStatus: undefined })))
    expect(failedChecks(result)).toEqual({ status: 'status_missing' })
  })

  it('refuses a licence whose status list is unreachable with status_unknown', async () => {
    const credentialStatus = statusEntry({ url: 'https://board.example/status/unreachable' })
    const result = await verify(await sign(licence(scenario, { credentialStatus })))
    expect(failedChecks(result)).toEqual({ status: 'status_unknown' })
  })

  it('fails closed without a status checker: status not_checked, not valid', async () => {
    const result = await verifyJwtCredential({
      jwt: await sign(licence(scenario)),
      resolver: scenario.resolver,
      trust: scenario.trust,
      now,
    })
    expect(result.valid).toBe(false)
    expect(failedChecks(result)).toEqual({ status: 'not_checked' })
  })
})
