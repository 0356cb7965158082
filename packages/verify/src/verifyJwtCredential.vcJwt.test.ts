// VC Data Model 2.0 secured with VC-JOSE-COSE (`vc+jwt`): the same envelope and checks as a VC 1.1
// JWT-VC, and no mixing of the two forms.
import { beforeAll, describe, expect, it } from 'vitest'
import {
  createScenario,
  DAY,
  failedChecks,
  LICENCE_ID,
  licence,
  licenceV2,
  NOW,
  REVOCATION_URL,
  REVOKED_INDEX,
  type Scenario,
  SUSPENDED_INDEX,
  signVc,
  signVcJwt,
  statusEntry,
} from '../test/kits/scenario'
import { verifyJwtCredential } from './verifyJwtCredential'

let s: Scenario

beforeAll(async () => {
  s = await createScenario()
})

const verify = (jwt: string, format?: 'jwt_vc' | 'vc+jwt') =>
  verifyJwtCredential({
    jwt,
    resolver: s.resolver,
    trust: s.trust,
    status: s.status,
    now: NOW,
    ...(format ? { format } : {}),
  })

const NOW_S = Math.floor(NOW.getTime() / 1000)

describe('verifyJwtCredential: VC 2.0 vc+jwt', () => {
  it('passes a vc+jwt licence, its status read from the vc+jwt lists', async () => {
    const result = await verify(await signVcJwt({ ...licenceV2(s), iat: NOW_S - 60 }, s.board))
    expect(failedChecks(result)).toEqual({})
    expect(result).toMatchObject({
      valid: true,
      format: 'vc+jwt',
      issuer: s.board.did,
      subject: s.clinician.did,
      type: 'ClinicianLicenseCredential',
      id: LICENCE_ID,
      validFrom: new Date(NOW.getTime() - 60_000).toISOString(),
      validUntil: new Date(NOW.getTime() + 365 * DAY).toISOString(),
      signer: { kid: `${s.board.did}#controller` },
    })
  })

  it('refuses a revoked or suspended vc+jwt', async () => {
    const revoked = await verify(await signVcJwt(licenceV2(s, { index: REVOKED_INDEX }), s.board))
    expect(failedChecks(revoked)).toEqual({ status: 'revoked' })
    const suspended = await verify(await signVcJwt(licenceV2(s, { index: SUSPENDED_INDEX }), s.board))
    expect(failedChecks(suspended)).toEqual({ status: 'suspended' })
  })

  it('reads a status list in either form (Bitstring Status List §3.6 is a SHOULD for the issuer)', async () => {
    const credential = {
      ...licenceV2(s),
      credentialStatus: [statusEntry({ url: REVOCATION_URL, index: REVOKED_INDEX })],
    }
    expect(failedChecks(await verify(await signVcJwt(credential, s.board)))).toEqual({ status: 'revoked' })
  })

  it('takes the tightest validity of validFrom/validUntil and iat/nbf/exp', async () => {
    const result = await verify(await signVcJwt({ ...licenceV2(s), exp: NOW_S - 3600 }, s.board))
    expect(failedChecks(result)).toEqual({ validityPeriod: 'expired' })
    const early = await verify(await signVcJwt({ ...licenceV2(s), nbf: NOW_S + 3600 }, s.board))
    expect(failedChecks(early)).toEqual({ validityPeriod: 'not_yet_valid' })
  })

  it('refuses an iss, sub or kid that names someone else (VC-JOSE-COSE "iss": it MUST match issuer)', async () => {
    const iss = await verify(await signVcJwt({ ...licenceV2(s), iss: s.patient.did }, s.board))
    expect(failedChecks(iss)).toMatchObject({ signerIsIssuer: 'issuer_mismatch' })
    const sub = await verify(await signVcJwt({ ...licenceV2(s), sub: s.patient.did }, s.board))
    expect(failedChecks(sub)).toMatchObject({ signerIsIssuer: 'issuer_mismatch' })
    const kid = await verify(await signVcJwt(licenceV2(s), s.board, { kid: `${s.patient.did}#controller` }))
    expect(failedChecks(kid)).toMatchObject({ signerIsIssuer: 'issuer_mismatch' })
  })

  it('refuses a vc+jwt signed by another key than the issuer’s', async () => {
    const result = await verify(await signVcJwt({ ...licenceV2(s), issuer: s.patient.did }, s.board))
    expect(failedChecks(result)).toMatchObject({ signature: 'invalid_signature' })
  })

  it('refuses the other form when the caller expects one, and mixing in either', async () => {
    const v2 = await signVcJwt(licenceV2(s), s.board)
    const v1 = await signVc(licence(s), s.board)
    expect(failedChecks(await verify(v2, 'jwt_vc'))).toMatchObject({ signature: 'malformed' })
    expect(failedChecks(await verify(v1, 'vc+jwt'))).toMatchObject({ signature: 'malformed' })
    const { validFrom, validUntil, ...rest } = licenceV2(s)
    const mixed = { ...rest, issuanceDate: validFrom, expirationDate: validUntil }
    expect(failedChecks(await verify(await signVcJwt(mixed, s.board)))).toMatchObject({
      signature: 'malformed',
    })
    expect(failedChecks(await verify(await signVcJwt({ vc: licence(s) }, s.board)))).toMatchObject({
      signature: 'malformed',
    })
  })

  it('checks the VC 2.0 schema: a claim the type does not have is refused', async () => {
    const credential = licenceV2(s)
    const result = await verify(
      await signVcJwt(
        { ...credential, credentialSubject: { ...credential.credentialSubject, role: 'admin' } },
        s.board,
      ),
    )
    expect(failedChecks(result)).toEqual({ schema: 'schema_invalid' })
  })
})
