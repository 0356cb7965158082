import { buildCredential, type ClinicianLicenseClaims } from '@clavis/credentials'
import { p256 } from '@noble/curves/p256'
import { ES256Signer } from 'did-jwt'
import { createVerifiableCredentialJwt } from 'did-jwt-vc'
import type { Resolvable } from 'did-resolver'
import { beforeAll, describe, expect, it } from 'vitest'
import { MAX_JWT_LENGTH } from './decodeJwtCredential'
import {
  deactivated,
  encodeSegment,
  ethrDocument,
  makeIdentity,
  memoryResolver,
  resolved,
  signRawJwt,
  type TestIdentity,
} from './testFixtures'
import { trustListPolicy } from './trustListPolicy'
import type { CheckName } from './types'
import { verifyJwtCredential } from './verifyJwtCredential'

const now = new Date('2030-06-01T12:00:00Z')
const DAY = 24 * 60 * 60 * 1000
const VC_CONTEXT = 'https://www.w3.org/2018/credentials/v1'

let board: TestIdentity
let clinician: TestIdentity
let patient: TestIdentity
let resolver: Resolvable

const licenceClaims = (): ClinicianLicenseClaims => ({
  name: { family: 'Okafor', given: ['Ada'], prefix: ['Dr.'] },
  profession: {
    system: 'http://nucc.org/provider-taxonomy',
    code: '207R00000X',
    display: 'Internal Medicine',
  },
  licenseNumber: 'A-123456/7',
  jurisdiction: 'US-CA',
  specialty: [{ system: 'http://snomed.info/sct', code: '394579002', display: 'Cardiology' }],
})

const trust = () =>
  trustListPolicy([
    { issuer: board.did, types: ['ClinicianLicenseCredential'] },
    { issuer: patient.did, types: ['AccessGrantCredential'] },
  ])

/** Signs a W3C credential (or raw JWT-VC payload) as `signer`, claiming to be `did`. */
const sign = (credential: object, signer: TestIdentity = board, did = signer.did) =>
  createVerifiableCredentialJwt(credential as Parameters<typeof createVerifiableCredentialJwt>[0], {
    did,
    signer: signer.signer,
    alg: 'ES256K',
  })

const licence = (
  validFrom = new Date(now.getTime() - DAY),
  validUntil = new Date(now.getTime() + 365 * DAY),
) =>
  buildCredential({
    type: 'ClinicianLicenseCredential',
    issuer: board.did,
    subject: clinician.did,
    claims: licenceClaims(),
    validFrom,
    validUntil,
    id: 'urn:uuid:3f1c9d1e-7a1b-4c1e-9a55-0c6f3f0e8b21',
  })

const verify = (jwt: string, overrides: Partial<Parameters<typeof verifyJwtCredential>[0]> = {}) =>
  verifyJwtCredential({ jwt, resolver, trust: trust(), now, ...overrides })

const failedChecks = (result: { checks: Record<CheckName, { passed: boolean; code?: string }> }) =>
  Object.fromEntries(
    Object.entries(result.checks)
      .filter(([, check]) => !check.passed)
      .map(([name, check]) => [name, check.code]),
  )

beforeAll(() => {
  board = makeIdentity()
  clinician = makeIdentity()
  patient = makeIdentity()
  resolver = memoryResolver({
    [board.did]: resolved(ethrDocument(board)),
    [patient.did]: resolved(ethrDocument(patient, { withControllerKey: true })),
  })
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
        schema: { passed: true },
      },
      issuer: board.did,
      subject: clinician.did,
      type: 'ClinicianLicenseCredential',
      id: 'urn:uuid:3f1c9d1e-7a1b-4c1e-9a55-0c6f3f0e8b21',
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
    })
    const result = await verify(await sign(identity), {
      trust: trustListPolicy([{ issuer: board.did, types: ['PatientIdentityCredential'] }]),
    })
    expect(failedChecks(result)).toEqual({})
  })

  it('passes an ES256 credential signed with a P-256 JsonWebKey2020 key', async () => {
    const privateKey = p256.utils.randomPrivateKey()
    const point = p256.getPublicKey(privateKey, false)
    const b64 = (bytes: Uint8Array) =>
      btoa(String.fromCharCode(...bytes))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '')
    const did = 'did:web:board.example.org'
    const document = {
      id: did,
      verificationMethod: [
        {
          id: `${did}#key-1`,
          type: 'JsonWebKey2020',
          controller: did,
          publicKeyJwk: { kty: 'EC', crv: 'P-256', x: b64(point.slice(1, 33)), y: b64(point.slice(33)) },
        },
      ],
      assertionMethod: [`${did}#key-1`],
    }
    const credential = { ...licence(), issuer: { id: did } }
    const jwt = await createVerifiableCredentialJwt(credential, {
      did,
      signer: ES256Signer(privateKey),
      alg: 'ES256',
    })
    const result = await verify(jwt, {
      resolver: memoryResolver({ [did]: resolved(document) }),
      trust: trustListPolicy([{ issuer: did, types: ['ClinicianLicenseCredential'] }]),
    })
    expect(failedChecks(result)).toEqual({})
    expect(result.signer).toEqual({ kid: `${did}#key-1` })
  })

  it('refuses a tampered payload with invalid_signature, still reporting the other checks', async () => {
    const [header, payload, signature] = (await sign(licence())).split('.') as [string, string, string]
    const claims = JSON.parse(
      new TextDecoder().decode(
        Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)),
      ),
    )
    claims.vc.credentialSubject.jurisdiction = 'US-NY'
    const result = await verify(`${header}.${encodeSegment(claims)}.${signature}`)
    expect(result.valid).toBe(false)
    expect(failedChecks(result)).toEqual({ signature: 'invalid_signature' })
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
    expect(failedChecks(result)).toEqual({ signature: 'did_deactivated' })
  })

  it('refuses a credential whose issuer DID cannot be resolved', async () => {
    const result = await verify(await sign(licence()), { resolver: memoryResolver({}) })
    expect(failedChecks(result)).toEqual({ signature: 'did_not_resolved' })
  })

  it.each([
    ['none', 'unsupported_algorithm', { alg: 'none', typ: 'JWT' }],
    ['HS256', 'unsupported_algorithm', { alg: 'HS256', typ: 'JWT' }],
    ['RS256', 'unsupported_algorithm', { alg: 'RS256' }],
    ['EdDSA', 'unsupported_algorithm', { alg: 'EdDSA' }],
    ['a jku header', 'unexpected_header', { alg: 'ES256K', jku: 'https://evil.example/keys' }],
    ['a jwk header', 'unexpected_header', { alg: 'ES256K', jwk: { kty: 'EC' } }],
    ['a crit header', 'unexpected_header', { alg: 'ES256K', crit: ['b64'], b64: false }],
  ])('refuses %s with %s and checks nothing else', async (_, code, header) => {
    const payload = JSON.parse(
      atob((await sign(licence())).split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')),
    )
    const jwt = await signRawJwt(header, payload, board.signer)
    const result = await verify(header.alg === 'none' ? `${jwt.split('.').slice(0, 2).join('.')}.` : jwt)
    expect(result.valid).toBe(false)
    expect(result.checks.signature).toMatchObject({ passed: false, code })
    expect(result.checks.schema).toMatchObject({ passed: false, code: 'not_checked' })
    expect(result.issuer).toBeUndefined()
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
    expect(failedChecks(result)).toEqual({ issuerTrust: 'untrusted_issuer' })
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
    expect(failedChecks(result)).toEqual({ issuerTrust: 'untrusted_issuer' })
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
    expect(failedChecks(result)).toEqual({ issuerTrust: 'untrusted_issuer', schema: 'schema_invalid' })
    expect(result.type).toBeUndefined()
  })

  it.each([
    ['oversize input', 'e'.repeat(MAX_JWT_LENGTH + 1)],
    ['an empty string', ''],
    ['two parts', 'a.b'],
    ['non-base64 parts', 'not base64!.%%%.***'],
    ['three dots of nothing', '..'],
    ['JSON instead of a JWT', '{"alg":"ES256K"}'],
  ])('refuses %s as malformed and checks nothing else', async (_, jwt) => {
    const result = await verify(jwt)
    expect(result).toMatchObject({
      valid: false,
      format: 'jwt_vc',
      checks: { signature: { code: 'malformed' } },
    })
    for (const name of ['signerIsIssuer', 'issuerTrust', 'validityPeriod', 'schema'] as const) {
      expect(result.checks[name]).toMatchObject({ passed: false, code: 'not_checked' })
    }
  })

  it('does not throw for a non-string jwt', async () => {
    const result = await verify(undefined as unknown as string)
    expect(result.checks.signature).toMatchObject({ code: 'malformed' })
  })

  it('allows clock skew up to 60 seconds and throws RangeError above or below', async () => {
    const jwt = await sign(licence(new Date(now.getTime() + 45_000), new Date(now.getTime() + DAY)))
    expect((await verify(jwt)).checks.validityPeriod).toMatchObject({ code: 'not_yet_valid' })
    expect((await verify(jwt, { clockSkewSeconds: 60 })).valid).toBe(true)
    await expect(verify(jwt, { clockSkewSeconds: 61 })).rejects.toThrow(RangeError)
    await expect(verify(jwt, { clockSkewSeconds: -1 })).rejects.toThrow(RangeError)
    await expect(verify(jwt, { clockSkewSeconds: Number.NaN })).rejects.toThrow(RangeError)
    await expect(verify(jwt, { now: new Date('nope') })).rejects.toThrow(RangeError)
  })

  it('uses the current time when now is not given', async () => {
    const current = new Date()
    const jwt = await sign(licence(new Date(current.getTime() - DAY), new Date(current.getTime() + DAY)))
    expect((await verifyJwtCredential({ jwt, resolver, trust: trust() })).valid).toBe(true)
  })
})
