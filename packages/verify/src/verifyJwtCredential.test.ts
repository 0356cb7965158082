import { buildCredential } from '@clavis/credentials'
import {
  base64urlJson,
  generatePrivateKey,
  parseBase64urlJson,
  publicKeyOf,
  publicKeyToJwk,
} from '@clavis/crypto'
import { createVerifiableCredentialJwt } from 'did-jwt-vc'
import { beforeAll, describe, expect, it } from 'vitest'
import { deactivated, joseSigner, memoryResolver, resolved, type TestIdentity } from '../test/kits/identities'
import {
  createScenario,
  DAY,
  failedChecks,
  LICENCE_ID,
  licenceClaims,
  licence as licenceOf,
  NOW as now,
  PATIENT_LIST_URL,
  type Scenario,
  signVc,
  statusEntry,
} from '../test/kits/scenario'
import { createStatusServer } from '../test/kits/status'
import { createStatusChecker } from './statusChecker'
import { trustListPolicy } from './trustListPolicy'
import { verifyJwtCredential } from './verifyJwtCredential'

const VC_CONTEXT = 'https://www.w3.org/2018/credentials/v1'

let scenario: Scenario
let board: TestIdentity
let clinician: TestIdentity
let patient: TestIdentity

const trust = () =>
  trustListPolicy([
    { issuer: board.did, types: ['ClinicianLicenseCredential'] },
    { issuer: patient.did, types: ['AccessGrantCredential'] },
  ])

/** Signs a W3C credential (or raw JWT-VC payload) as `signer`, claiming to be `did`. */
const sign = (credential: object, signer: TestIdentity = board, did = signer.did) =>
  signVc(credential, signer, did)

const licence = (validFrom?: Date, validUntil?: Date) => licenceOf(scenario, { validFrom, validUntil })

const verify = (jwt: string, overrides: Partial<Parameters<typeof verifyJwtCredential>[0]> = {}) =>
  verifyJwtCredential({
    jwt,
    resolver: scenario.resolver,
    trust: trust(),
    status: scenario.status,
    now,
    ...overrides,
  })

beforeAll(async () => {
  scenario = await createScenario()
  ;({ board, clinician, patient } = scenario)
})

describe('verifyJwtCredential', () => {
  it('passes a valid licence on every check and describes it', async () => {
    const result = await verify(await sign(licence()))
    expect(result).toEqual({
      valid: true,
      format: 'jwt_vc',
      checks: {
        signature: { passed: true },
        signerIsIssuer: { passed: true },
        issuerTrust: { passed: true },
        validityPeriod: { passed: true },
        status: { passed: true },
        schema: { passed: true },
      },
      issuer: board.did,
      subject: clinician.did,
      type: 'ClinicianLicenseCredential',
      id: LICENCE_ID,
      validFrom: '2030-05-31T12:00:00.000Z',
      validUntil: '2031-06-01T12:00:00.000Z',
      signer: { kid: `${board.did}#controller` },
    })
  })

  it('passes a valid access grant signed by the patient (publicKeyHex key present)', async () => {
    const grant = buildCredential({
      type: 'AccessGrantCredential',
      issuer: patient.did,
      subject: clinician.did,
      claims: {
        audience: 'did:web:hospital.example.org',
        scope: ['patient/Observation.rs'],
        purposeOfUse: 'TREAT',
      },
      validFrom: new Date(now.getTime() - DAY),
      validUntil: new Date(now.getTime() + 7 * DAY),
      credentialStatus: [statusEntry({ url: PATIENT_LIST_URL })],
    })
    const result = await verify(await sign(grant, patient))
    expect(failedChecks(result)).toEqual({})
    expect(result.valid).toBe(true)
  })

  it('passes a patient identity credential without expiry', async () => {
    const identity = buildCredential({
      type: 'PatientIdentityCredential',
      issuer: board.did,
      subject: patient.did,
      claims: {
        name: { family: 'García', given: ['Lucía'] },
        birthDate: '1984-02-29',
        identifier: { system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN-0042' },
        identityAssuranceLevel: 'IAL2',
      },
      validFrom: new Date(now.getTime() - DAY),
      credentialStatus: [statusEntry()],
    })
    const result = await verify(await sign(identity), {
      trust: trustListPolicy([{ issuer: board.did, types: ['PatientIdentityCredential'] }]),
    })
    expect(failedChecks(result)).toEqual({})
  })

  it('passes an ES256 credential signed with a P-256 JsonWebKey2020 key', async () => {
    const privateKey = generatePrivateKey('ES256')
    const signer = joseSigner('ES256', privateKey)
    const did = 'did:web:board.example.org'
    const document = {
      id: did,
      verificationMethod: [
        {
          id: `${did}#key-1`,
          type: 'JsonWebKey2020',
          controller: did,
          publicKeyJwk: publicKeyToJwk({ alg: 'ES256', publicKey: publicKeyOf('ES256', privateKey) }),
        },
      ],
      assertionMethod: [`${did}#key-1`],
    }
    const resolver = memoryResolver({ [did]: resolved(document) })
    const url = 'https://board.example.org/status/1'
    const server = createStatusServer()
    await server.publishBitstring({
      signer: { issuer: did, kid: `${did}#key-1`, alg: 'ES256', signer },
      url,
      issuedAt: now,
    })
    const credential = { ...licence(), issuer: { id: did }, credentialStatus: statusEntry({ url }) }
    const jwt = await createVerifiableCredentialJwt(credential, { did, signer, alg: 'ES256' })
    const result = await verify(jwt, {
      resolver,
      trust: trustListPolicy([{ issuer: did, types: ['ClinicianLicenseCredential'] }]),
      status: createStatusChecker({ fetchList: server.fetchList, resolver }),
    })
    expect(failedChecks(result)).toEqual({})
    expect(result.signer).toEqual({ kid: `${did}#key-1` })
  })

  it('refuses a tampered payload with invalid_signature, still reporting the other checks', async () => {
    const [header, payload, signature] = (await sign(licence())).split('.') as [string, string, string]
    const claims = parseBase64urlJson(payload) as { vc: { credentialSubject: Record<string, unknown> } }
    claims.vc.credentialSubject.jurisdiction = 'US-NY'
    const result = await verify(`${header}.${base64urlJson(claims)}.${signature}`)
    expect(result.valid).toBe(false)
    expect(failedChecks(result)).toEqual({ signature: 'invalid_signature', status: 'not_checked' })
    expect(result.signer).toBeUndefined()
  })

  it('refuses a credential signed by another key for the issuer DID', async () => {
    const result = await verify(await sign(licence(), clinician, board.did))
    expect(result.valid).toBe(false)
    expect(['invalid_signature', 'no_matching_key']).toContain(
      result.checks.signature.passed ? '' : result.checks.signature.code,
    )
  })

  it('refuses a credential from a deactivated DID', async () => {
    const result = await verify(await sign(licence()), {
      resolver: memoryResolver({ [board.did]: deactivated(board.did) }),
    })
    expect(result.valid).toBe(false)
    expect(failedChecks(result)).toEqual({ signature: 'did_deactivated', status: 'not_checked' })
  })

  it('refuses a credential whose issuer DID cannot be resolved', async () => {
    const result = await verify(await sign(licence()), { resolver: memoryResolver({}) })
    expect(failedChecks(result)).toEqual({ signature: 'did_not_resolved', status: 'not_checked' })
  })

  it('refuses an expired licence', async () => {
    const jwt = await sign(licence(new Date(now.getTime() - 400 * DAY), new Date(now.getTime() - DAY)))
    const result = await verify(jwt)
    expect(failedChecks(result)).toEqual({ validityPeriod: 'expired' })
    expect(!result.checks.validityPeriod.passed && result.checks.validityPeriod.reason).toContain(
      '2030-05-31',
    )
  })

  it('refuses a licence that is not yet valid', async () => {
    const jwt = await sign(licence(new Date(now.getTime() + DAY), new Date(now.getTime() + 400 * DAY)))
    expect(failedChecks(await verify(jwt))).toEqual({ validityPeriod: 'not_yet_valid' })
  })

  it('refuses a licence without expiry', async () => {
    const { expirationDate: _, ...noExpiry } = licence()
    const result = await verify(await sign(noExpiry))
    expect(result.checks.validityPeriod).toMatchObject({ passed: false, code: 'missing_expiry' })
    expect(result.checks.signature).toEqual({ passed: true })
    expect(result.valid).toBe(false)
  })

  it('refuses a credential whose vc.issuer differs from the signing iss', async () => {
    const jwt = await sign({
      sub: clinician.did,
      nbf: Math.floor(now.getTime() / 1000) - 60,
      exp: Math.floor(now.getTime() / 1000) + 3600,
      vc: {
        '@context': [VC_CONTEXT],
        type: ['VerifiableCredential', 'ClinicianLicenseCredential'],
        issuer: { id: patient.did },
        credentialSubject: licenceClaims(),
      },
    })
    const result = await verify(jwt)
    expect(result.checks.signerIsIssuer).toMatchObject({ passed: false, code: 'issuer_mismatch' })
    expect(!result.checks.signerIsIssuer.passed && result.checks.signerIsIssuer.reason).toContain(patient.did)
    expect(result.valid).toBe(false)
  })

  it('refuses a credential whose subject id differs from sub', async () => {
    const jwt = await sign({
      sub: clinician.did,
      nbf: Math.floor(now.getTime() / 1000) - 60,
      exp: Math.floor(now.getTime() / 1000) + 3600,
      vc: {
        '@context': [VC_CONTEXT],
        type: ['VerifiableCredential', 'ClinicianLicenseCredential'],
        credentialSubject: { id: patient.did, ...licenceClaims() },
      },
    })
    expect((await verify(jwt)).checks.signerIsIssuer).toMatchObject({
      passed: false,
      code: 'issuer_mismatch',
    })
  })

  it('refuses an untrusted issuer, naming issuer and type', async () => {
    const result = await verify(await sign(licence()), {
      trust: trustListPolicy([{ issuer: board.did, types: ['PatientIdentityCredential'] }]),
    })
    expect(failedChecks(result)).toEqual({ issuerTrust: 'untrusted_issuer', status: 'not_checked' })
    const { issuerTrust } = result.checks
    expect(!issuerTrust.passed && issuerTrust.reason).toContain(board.did)
    expect(!issuerTrust.passed && issuerTrust.reason).toContain('ClinicianLicenseCredential')
  })

  it('treats a trust policy that throws as untrusted', async () => {
    const throwing = {
      isTrusted: () => {
        throw new Error('trust store offline')
      },
    }
    const result = await verify(await sign(licence()), { trust: throwing })
    expect(failedChecks(result)).toEqual({ issuerTrust: 'untrusted_issuer', status: 'not_checked' })
  })

  it('refuses schema-invalid claims, naming the first bad path', async () => {
    const credential = licence()
    credential.credentialSubject.jurisdiction = 'California'
    const result = await verify(await sign(credential))
    expect(failedChecks(result)).toEqual({ schema: 'schema_invalid' })
    expect(!result.checks.schema.passed && result.checks.schema.reason).toContain(
      'credentialSubject.jurisdiction',
    )
  })

  it('refuses a credential of no known type on trust and schema', async () => {
    const credential = { ...licence(), type: ['VerifiableCredential', 'DriversLicence'] }
    const result = await verify(await sign(credential))
    expect(failedChecks(result)).toEqual({
      issuerTrust: 'untrusted_issuer',
      status: 'not_checked',
      schema: 'schema_invalid',
    })
    expect(result.type).toBeUndefined()
  })
})
