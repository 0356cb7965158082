import { describe, expect, it } from 'vitest'
import { DAY_MS, decoded as decodeSdJwtVc, dids, examples, keyPair } from '../test/helpers'
import { SdJwtError } from './errors'
import type { IssueSdJwtVcOptions } from './issue'
import { issueSdJwtVc } from './issue'

const issuer = keyPair('ES256K')
const holder = keyPair('ES256')
const validFrom = new Date('2026-01-01T00:00:00Z')

function options(overrides: Partial<IssueSdJwtVcOptions> = {}): IssueSdJwtVcOptions {
  const { issuer: iss, subject, claims } = examples.ClinicianLicenseCredential
  return {
    type: 'ClinicianLicenseCredential',
    issuer: iss,
    kid: `${iss}#controller`,
    alg: 'ES256K',
    signer: issuer.signer,
    subject,
    claims,
    holderJwk: holder.jwk,
    validFrom,
    validUntil: new Date(validFrom.getTime() + 365 * DAY_MS),
    ...overrides,
  }
}

async function issueError(o: IssueSdJwtVcOptions): Promise<SdJwtError> {
  const error = await issueSdJwtVc(o).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(SdJwtError)
  return error as SdJwtError
}

describe('issueSdJwtVc', () => {
  it('writes the header and the always-visible claims', async () => {
    const decoded = decodeSdJwtVc(
      await issueSdJwtVc(
        options({ jti: 'urn:uuid:1', status: { status_list: { idx: 3, uri: 'https://a.example/s/1' } } }),
      ),
    )
    expect(decoded.header).toEqual({ typ: 'dc+sd-jwt', kid: `${dids.board}#controller`, alg: 'ES256K' })
    const { _sd, iat, ...visible } = decoded.payload
    expect(visible).toEqual({
      iss: dids.board,
      sub: dids.clinician,
      vct: 'urn:clavis:vct:ClinicianLicenseCredential:1',
      nbf: validFrom.getTime() / 1000,
      exp: validFrom.getTime() / 1000 + 365 * 86400,
      cnf: { jwk: holder.jwk },
      status: { status_list: { idx: 3, uri: 'https://a.example/s/1' } },
      jti: 'urn:uuid:1',
      _sd_alg: 'sha-256',
      name: examples.ClinicianLicenseCredential.claims.name,
      profession: examples.ClinicianLicenseCredential.claims.profession,
      licenseNumber: 'A-123456/7',
      jurisdiction: 'US-CA',
      specialty: examples.ClinicianLicenseCredential.claims.specialty,
    })
    expect(Math.abs((iat as number) - Date.now() / 1000)).toBeLessThan(5)
    expect(_sd).toHaveLength(1)
    expect(decoded.disclosures.map((d) => [d.name, d.value])).toEqual([['npi', '1234567893']])
  })

  it('makes every patient identity claim disclosable by default', async () => {
    const { issuer: iss, subject, claims } = examples.PatientIdentityCredential
    const decoded = decodeSdJwtVc(
      await issueSdJwtVc(
        options({
          type: 'PatientIdentityCredential',
          issuer: iss,
          kid: `${iss}#k`,
          subject,
          claims,
          validUntil: undefined,
        }),
      ),
    )
    expect(decoded.disclosures.map((d) => d.name).sort()).toEqual(Object.keys(claims).sort())
    expect(decoded.payload).not.toHaveProperty('exp')
    expect(decoded.payload).not.toHaveProperty('birthDate')
  })

  it('pads _sd with decoys so absent optional claims do not show', async () => {
    const { npi: _npi, ...withoutNpi } = examples.ClinicianLicenseCredential.claims
    const without = decodeSdJwtVc(await issueSdJwtVc(options({ claims: withoutNpi })))
    expect(without.payload._sd).toHaveLength(1)
    expect(without.disclosures).toEqual([])
    const { issuer: iss, subject, claims } = examples.PatientIdentityCredential
    const { insuranceMemberId: _i, address: _a, ...fewer } = claims
    const patient = decodeSdJwtVc(
      await issueSdJwtVc(
        options({ type: 'PatientIdentityCredential', issuer: iss, kid: `${iss}#k`, subject, claims: fewer }),
      ),
    )
    expect(patient.payload._sd).toHaveLength(6)
    expect(patient.disclosures).toHaveLength(4)
  })

  it('uses fresh 128-bit salts', async () => {
    const a = decodeSdJwtVc(await issueSdJwtVc(options()))
    const b = decodeSdJwtVc(await issueSdJwtVc(options()))
    expect(a.disclosures[0]!.salt).not.toBe(b.disclosures[0]!.salt)
    expect(a.disclosures[0]!.salt).toHaveLength(22)
  })

  it('refuses bad claims and a bad validity period with every issue', async () => {
    const { npi: _npi, ...claims } = examples.ClinicianLicenseCredential.claims
    const error = await issueError(
      options({ claims: { ...claims, jurisdiction: 'California' }, validUntil: undefined }),
    )
    expect(error.code).toBe('invalid_claims')
    expect(error.issues.map((i) => `${i.path}:${i.code}`)).toContain('claims.jurisdiction:invalid_format')
    expect(error.issues.map((i) => `${i.path}:${i.code}`)).toContain('validUntil:required')
  })

  it('refuses a non-DID issuer or subject, a kid of another DID and a bad holder key', async () => {
    const error = await issueError(
      options({
        issuer: 'board',
        subject: 'x',
        kid: 'did:ethr:0x1#k',
        holderJwk: { ...holder.jwk, x: 'AAAA' },
      }),
    )
    expect(error.issues.map((i) => i.path)).toEqual(['issuer', 'subject', 'kid', 'holderJwk'])
  })

  it('refuses disclosable validity and binding claims', async () => {
    for (const name of [
      'exp',
      'iss',
      'sub',
      'cnf',
      'status',
      'vct',
      'vct#integrity',
      'aka_vcts',
      'nbf',
      'iat',
      'jti',
      'aud',
    ]) {
      const error = await issueError(options({ disclosable: ['npi', name] }))
      expect(error.code).toBe('not_disclosable')
    }
  })

  it('refuses an algorithm off the allow-list', async () => {
    const error = await issueError(options({ alg: 'HS256' as never }))
    expect(error.code).toBe('unsupported_algorithm')
  })

  it('pins its error message', async () => {
    const error = await issueError(options({ disclosable: ['exp'] }))
    expect(error.message).toMatchInlineSnapshot(
      `"Claims "exp" must stay visible; remove them from "disclosable"."`,
    )
  })
})
