// What the fuzz test starts from: real organisations, credentials, keys, nonces and lists of a
// running agent, hostile tokens made from them, and valid bodies where fields depend on each other.
import { presentSdJwtVc } from '@clavis/sd-jwt'
import { signTokenStatusListJwt, TokenStatusList } from '@clavis/status'
import { presentJwtVp } from '@clavis/verify'
import { CLINICIAN_DID, inDays, licenceClaims, PATIENT_DID, patientClaims, type TestAgent } from '../harness'
import { decodeJwt, holderKey } from '../holders'
import { hostileJwts } from './jwts'
import type { Rng } from './rng'
import { type Knowledge, validish } from './schema'
import { type HostileToken, hostileTokens } from './tokens'

export type Org = { id: string; did: string; token: string }

export interface Fixtures {
  orgs: { board: Org; hospital: Org }
  admin: string
  /** Real ids of each organisation's things, by path parameter name. */
  real: Record<'board' | 'hospital', Record<string, string[]>>
  /** Real values by path parameter name that belong to no organisation. */
  shared: Record<string, string[]>
  knowledge: Knowledge
  jwts: string[]
  /** A valid, newer status list for the uploaded-list URL each time it is called. */
  freshList: () => Promise<string>
  uploadPath: { did: string; name: string }
  /** Hostile credentials and presentations. */
  tokens: HostileToken[]
  /** Valid bodies by component schema name, for schemas whose fields depend on each other. */
  examples: Record<string, (home: 'board' | 'hospital', rng: Rng) => Promise<unknown>>
}

/**
 * Makes the fixtures on `t` (issues credentials, adds trust, keys, presentation requests and an
 * uploaded list).
 *
 * @example
 * const fx = await createFixtures(t)
 */
export async function createFixtures(t: TestAgent): Promise<Fixtures> {
  const must = async (method: string, path: string, o: Parameters<TestAgent['request']>[2]) => {
    const res = await t.request(method, path, o)
    if (res.status >= 300)
      throw new Error(`fixture ${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`)
    return res.body
  }
  const clinician = holderKey()
  const patient = holderKey()
  const { board, hospital } = t
  const licence = await must('POST', `/v1/organisations/${board.id}/credentials`, {
    token: board.token,
    body: {
      type: 'ClinicianLicenseCredential',
      subject: clinician.did,
      claims: licenceClaims(),
      validUntil: inDays(365),
    },
  })
  const identity = await must('POST', `/v1/organisations/${hospital.id}/credentials`, {
    token: hospital.token,
    body: {
      type: 'PatientIdentityCredential',
      format: 'dc+sd-jwt',
      holderJwk: patient.jwk,
      subject: patient.did,
      claims: patientClaims(),
      validUntil: inDays(365),
    },
  })
  await must('POST', `/v1/organisations/${hospital.id}/trust`, {
    token: hospital.token,
    body: { issuer: board.did, types: ['ClinicianLicenseCredential'] },
  })
  // The hospital trusts a holder key as an issuer too, so that self-issued licences get their status checked.
  await must('POST', `/v1/organisations/${hospital.id}/trust`, {
    token: hospital.token,
    body: { issuer: clinician.did, types: ['ClinicianLicenseCredential'] },
  })
  await must('POST', `/v1/organisations/${board.id}/trust`, {
    token: board.token,
    body: { issuer: hospital.did, types: ['PatientIdentityCredential'] },
  })
  // More credentials to change the status of.
  const issued: { id: string; jwt: string }[] = []
  for (const [org, holder, type, claims] of [
    [board, clinician, 'ClinicianLicenseCredential', licenceClaims()],
    [board, clinician, 'ClinicianLicenseCredential', licenceClaims()],
    [hospital, patient, 'PatientIdentityCredential', patientClaims()],
    [hospital, patient, 'PatientIdentityCredential', patientClaims()],
  ] as const) {
    issued.push(
      await must('POST', `/v1/organisations/${org.id}/credentials`, {
        token: org.token,
        body: { type, subject: holder.did, claims, validUntil: inDays(365) },
      }),
    )
  }
  const boardKey = await must('POST', `/v1/organisations/${board.id}/did/keys`, {
    token: board.token,
    body: {},
  })
  const hospitalKey = await must('POST', `/v1/organisations/${hospital.id}/did/keys`, {
    token: hospital.token,
    body: {},
  })
  const asks = await Promise.all(
    [1, 2, 3].map(() =>
      must('POST', `/v1/organisations/${hospital.id}/presentation-requests`, {
        token: hospital.token,
        body: {},
      }),
    ),
  )
  const vp = await presentJwtVp({
    credentials: [licence.jwt],
    holder: clinician.did,
    kid: clinician.kid,
    signer: clinician.signer,
    nonce: asks[0].nonce,
    audience: asks[0].audience,
  })
  const sdPresentation = await presentSdJwtVc({
    credential: identity.jwt,
    disclose: ['birthDate'],
    keyBinding: { alg: 'ES256K', signer: patient.signer, nonce: asks[1].nonce, audience: asks[1].audience },
  })
  // The status list groups, from the credentials' status entries.
  const groupOf = (url: string) => new URL(url).pathname.split('/')[3]!
  const licenceStatus = decodeJwt(licence.jwt).payload.vc.credentialStatus as {
    statusListCredential: string
  }[]
  const identityStatus = decodeJwt(identity.jwt.split('~')[0]).payload.status.status_list.uri as string
  // A patient's uploaded list (the raw-JWT endpoint), and ever newer ones.
  const upload = { did: patient.did, name: 'grants' }
  const uri = `${t.agent.ctx.publicUrl}/v1/status-lists/dids/${upload.did}/${upload.name}`
  let iat = Math.floor(Date.now() / 1000) - 120
  const freshList = () =>
    signTokenStatusListJwt({
      issuer: patient.did,
      kid: patient.kid,
      alg: 'ES256K',
      signer: patient.signer,
      uri,
      list: TokenStatusList.create({ size: 131_072, bits: 2 }),
      iat: new Date(++iat * 1000),
      ttlSeconds: 300,
      expiresInSeconds: 86_400,
    })
  const first = await freshList()
  const created = await t.request('PUT', new URL(uri).pathname, {
    raw: first,
    headers: { 'content-type': 'application/statuslist+jwt' },
  })
  if (created.status !== 201) throw new Error(`fixture upload: ${created.status}`)
  const validList = decodeJwt(first).payload.status_list.lst as string
  const jwts = await hostileJwts({
    signer: patient.signer,
    kid: patient.kid,
    issuer: patient.did,
    uri,
    now: Math.floor(Date.now() / 1000),
    validList,
  })
  const orgOf = (o: typeof board): Org => ({ id: o.id, did: o.did, token: o.token })
  const fx: Fixtures = {
    orgs: { board: orgOf(board), hospital: orgOf(hospital) },
    admin: t.admin,
    real: {
      board: {
        id: [board.id],
        credentialId: [licence.id, issued[0]!.id, issued[1]!.id],
        kid: [boardKey.kid],
        issuer: [hospital.did],
        group: licenceStatus.map((s) => groupOf(s.statusListCredential)),
        did: [board.did],
      },
      hospital: {
        id: [hospital.id],
        credentialId: [identity.id, issued[2]!.id, issued[3]!.id],
        kid: [hospitalKey.kid],
        issuer: [board.did],
        group: [groupOf(identityStatus)],
        did: [hospital.did],
      },
    },
    shared: {
      did: [patient.did, clinician.did, CLINICIAN_DID, PATIENT_DID],
      name: ['grants', 'revocation', 'suspension', 'token'],
    },
    knowledge: {
      schemas: {},
      byName: {
        claims: [licenceClaims(), patientClaims(), {}],
        subject: [clinician.did, patient.did, CLINICIAN_DID, PATIENT_DID],
        holderJwk: [clinician.jwk, patient.jwk],
        issuer: [board.did, hospital.did, clinician.did],
        verifier: [board.id, hospital.id],
        credential: [licence.jwt, identity.jwt],
        presentation: [vp, sdPresentation],
        nonce: asks.map((a) => a.nonce),
        requestSecret: asks.map((a) => a.requestSecret),
      },
      strings: [
        board.id,
        hospital.id,
        board.did,
        hospital.did,
        clinician.did,
        patient.did,
        licence.id,
        licence.jwt,
        identity.jwt,
        vp,
        clinician.jwk.x,
        clinician.jwk.y,
        'LinkedDomains',
        'https://example.org/clavis',
        'http://localhost:8080/x',
      ],
    },
    jwts,
    tokens: hostileTokens({
      licence: licence.jwt,
      identity: identity.jwt,
      clinician,
      patient,
      ownLists: `${t.agent.ctx.publicUrl}/v1/status-lists/`,
      group: groupOf(licenceStatus[0]!.statusListCredential),
    }),
    freshList,
    uploadPath: upload,
    examples: {
      IssueCredentialRequest: async (home, rng) => {
        const sd = rng.chance(0.4)
        const holder = home === 'board' ? clinician : patient
        return {
          type: home === 'board' ? 'ClinicianLicenseCredential' : 'PatientIdentityCredential',
          subject: holder.did,
          claims: home === 'board' ? licenceClaims() : patientClaims(),
          ...(sd ? { format: 'dc+sd-jwt', holderJwk: holder.jwk } : {}),
          ...(rng.chance(0.5) ? { validFrom: inDays(rng.between(-5, 5)) } : {}),
          ...(rng.chance(0.7) ? { validUntil: inDays(rng.between(10, 700)) } : {}),
        }
      },
      TrustEntryRequest: async (home, rng) => ({
        issuer: rng.pick([home === 'board' ? hospital.did : board.did, clinician.did, patient.did]),
        types: rng.pick([
          ['ClinicianLicenseCredential'],
          ['PatientIdentityCredential', 'AccessGrantCredential'],
        ]),
      }),
      VerifyRequest: async (home, rng) => ({
        credential: rng.pick([licence.jwt, identity.jwt, ...issued.map((c) => c.jwt)]),
        ...(rng.chance(0.8) ? { verifier: fx.orgs[home].id } : {}),
      }),
      // A fresh nonce and a presentation made for it (nonces are single use).
      VerifyPresentationRequest: async (home, rng) => {
        const verifier = fx.orgs[home]
        const ask = await t.request('POST', `/v1/organisations/${verifier.id}/presentation-requests`, {
          token: verifier.token,
          body: {},
        })
        if (ask.status !== 201)
          return validish({ $ref: '#/components/schemas/VerifyPresentationRequest' }, fx.knowledge, rng)
        const { nonce, audience, requestSecret } = ask.body
        const presentation = rng.chance(0.5)
          ? await presentJwtVp({
              credentials: [licence.jwt],
              holder: clinician.did,
              kid: clinician.kid,
              signer: clinician.signer,
              nonce,
              audience,
            })
          : await presentSdJwtVc({
              credential: identity.jwt,
              disclose: rng.pick([['birthDate'], [], ['name', 'identifier']]),
              keyBinding: { alg: 'ES256K', signer: patient.signer, nonce, audience },
            })
        return { presentation, verifier: verifier.id, nonce, requestSecret }
      },
    },
  }
  return fx
}
