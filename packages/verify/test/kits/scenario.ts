// Test-only: a licensing board, a clinician and a patient with DID documents, signed status lists
// and builders for their credentials, shared by the verification tests.
import {
  buildCredential,
  buildCredentialV2,
  type ClinicianLicenseClaims,
  STATUS_LIST_CONTEXT_V1,
  type UnsignedCredential,
  VC_CONTEXT_V1,
} from '@clavis/credentials'
import { bitstringStatusEntry, type StatusPurpose, TOKEN_STATUS } from '@clavis/status'
import { createVerifiableCredentialJwt } from 'did-jwt-vc'
import type { Resolvable } from 'did-resolver'
import { createStatusChecker, type StatusChecker } from '../../src/statusChecker'
import { type TrustPolicy, trustListPolicy } from '../../src/trustListPolicy'
import type { CheckResult } from '../../src/types'
import {
  ethrDocument,
  makeIdentity,
  memoryResolver,
  resolved,
  signRawJwt,
  type TestIdentity,
} from './identities'
import { createStatusServer, listSignerOf, type StatusServer } from './status'

/** The time every scenario verifies at. */
export const NOW = new Date('2030-06-01T12:00:00Z')
export const DAY = 24 * 60 * 60 * 1000
/** When the scenario's lists were signed (a minute before {@link NOW}; they stay fresh for 5 minutes). */
export const LISTS_ISSUED_AT = new Date(NOW.getTime() - 60_000)

export const REVOCATION_URL = 'https://board.example/status/revocation/1'
export const SUSPENSION_URL = 'https://board.example/status/suspension/1'
/** The same lists secured as VC 2.0 `vc+jwt` credentials, for VC 2.0 credentials. */
export const REVOCATION_URL_V2 = 'https://board.example/status/revocation/1-vc2'
export const SUSPENSION_URL_V2 = 'https://board.example/status/suspension/1-vc2'
export const TOKEN_URL = 'https://board.example/status/token/1'
export const PATIENT_LIST_URL = 'https://patient.example/status/1'

/** Index whose bit is clear in every list. */
export const GOOD_INDEX = 7
/** Index set in the revocation list and INVALID in the token list. */
export const REVOKED_INDEX = 42
/** Index set in the suspension list and SUSPENDED in the token list. */
export const SUSPENDED_INDEX = 43

export const VERIFIER = 'did:web:hospital.example.org'

export interface Scenario {
  board: TestIdentity
  clinician: TestIdentity
  patient: TestIdentity
  /** Resolves the three DIDs (clinician and patient with a `#controllerKey`). */
  resolver: Resolvable
  server: StatusServer
  /** A status checker over {@link Scenario.server}, shared by a test file. */
  status: StatusChecker
  /** Board: licences and patient identities; patient: access grants. */
  trust: TrustPolicy
}

/** A board, a clinician and a patient, with the board's and the patient's lists published. */
export async function createScenario(): Promise<Scenario> {
  const board = makeIdentity()
  const clinician = makeIdentity()
  const patient = makeIdentity()
  const resolver = memoryResolver({
    [board.did]: resolved(ethrDocument(board)),
    [clinician.did]: resolved(ethrDocument(clinician, { withControllerKey: true })),
    [patient.did]: resolved(ethrDocument(patient, { withControllerKey: true })),
  })
  const server = createStatusServer()
  const signer = listSignerOf(board)
  const issuedAt = LISTS_ISSUED_AT
  await server.publishBitstring({ signer, url: REVOCATION_URL, set: [REVOKED_INDEX], issuedAt })
  await server.publishBitstring({
    signer,
    url: SUSPENSION_URL,
    purpose: 'suspension',
    set: [SUSPENDED_INDEX],
    issuedAt,
  })
  for (const [url, purpose, set] of [
    [REVOCATION_URL_V2, 'revocation', [REVOKED_INDEX]],
    [SUSPENSION_URL_V2, 'suspension', [SUSPENDED_INDEX]],
  ] as const)
    await server.publishBitstring({ signer, format: 'vc+jwt', url, purpose, set, issuedAt })
  await server.publishToken({
    signer,
    url: TOKEN_URL,
    statuses: [
      [REVOKED_INDEX, TOKEN_STATUS.INVALID],
      [SUSPENDED_INDEX, TOKEN_STATUS.SUSPENDED],
    ],
    issuedAt,
  })
  await server.publishBitstring({ signer: listSignerOf(patient), url: PATIENT_LIST_URL, issuedAt })
  return {
    board,
    clinician,
    patient,
    resolver,
    server,
    status: createStatusChecker({ fetchList: server.fetchList, resolver }),
    trust: trustListPolicy([
      { issuer: board.did, types: ['ClinicianLicenseCredential', 'PatientIdentityCredential'] },
      { issuer: patient.did, types: ['AccessGrantCredential'] },
    ]),
  }
}

/** A `credentialStatus` entry (revocation, in the board's list, at a clear index by default). */
export const statusEntry = (
  options: { index?: number; url?: string; purpose?: StatusPurpose } = {},
): ReturnType<typeof bitstringStatusEntry> =>
  bitstringStatusEntry({
    listUrl: options.url ?? REVOCATION_URL,
    index: options.index ?? GOOD_INDEX,
    purpose: options.purpose ?? 'revocation',
  })

export const licenceClaims = (): ClinicianLicenseClaims => ({
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

export const LICENCE_ID = 'urn:uuid:3f1c9d1e-7a1b-4c1e-9a55-0c6f3f0e8b21'

/** An unsigned licence from the board, valid from a day before {@link NOW} for a year, with a status entry. */
export function licence(
  scenario: Scenario,
  options: {
    validFrom?: Date
    validUntil?: Date
    subject?: string
    credentialStatus?: unknown
  } = {},
): Omit<UnsignedCredential, 'credentialStatus'> & { credentialStatus?: unknown } {
  const credential = buildCredential({
    type: 'ClinicianLicenseCredential',
    issuer: scenario.board.did,
    subject: options.subject ?? scenario.clinician.did,
    claims: licenceClaims(),
    validFrom: options.validFrom ?? new Date(NOW.getTime() - DAY),
    validUntil: options.validUntil ?? new Date(NOW.getTime() + 365 * DAY),
    id: LICENCE_ID,
  })
  const credentialStatus = 'credentialStatus' in options ? options.credentialStatus : statusEntry()
  // With status entries, the context that defines them for VC 1.1 (as buildCredential adds it).
  return credentialStatus === undefined
    ? credential
    : { ...credential, '@context': [VC_CONTEXT_V1, STATUS_LIST_CONTEXT_V1], credentialStatus }
}

/**
 * A VC 2.0 licence from the board (`buildCredentialV2`), valid from a day before {@link NOW} for a
 * year, with revocation and suspension entries in the board's `vc+jwt` lists at `index`.
 */
export function licenceV2(scenario: Scenario, options: { index?: number; subject?: string } = {}) {
  const index = options.index ?? GOOD_INDEX
  return buildCredentialV2({
    type: 'ClinicianLicenseCredential',
    issuer: scenario.board.did,
    subject: options.subject ?? scenario.clinician.did,
    claims: licenceClaims(),
    validFrom: new Date(NOW.getTime() - DAY),
    validUntil: new Date(NOW.getTime() + 365 * DAY),
    id: LICENCE_ID,
    credentialStatus: [
      statusEntry({ url: REVOCATION_URL_V2, index }),
      statusEntry({ url: SUSPENSION_URL_V2, index, purpose: 'suspension' }),
    ],
  })
}

/** Secures a VC 2.0 credential (or any claims set) as a VC-JOSE-COSE `vc+jwt` signed by `signer`'s `#controller`. */
export const signVcJwt = (
  claims: object,
  signer: TestIdentity,
  header: Record<string, unknown> = {},
): Promise<string> =>
  signRawJwt(
    { alg: 'ES256K', typ: 'vc+jwt', kid: `${signer.did}#controller`, ...header },
    claims,
    signer.signer,
  )

/** Signs a W3C credential (or raw JWT-VC payload) as `signer` (ES256K), claiming to be `did`. */
export const signVc = (credential: object, signer: TestIdentity, did = signer.did): Promise<string> =>
  createVerifiableCredentialJwt(credential as Parameters<typeof createVerifiableCredentialJwt>[0], {
    did,
    signer: signer.signer,
    alg: 'ES256K',
  })

/** The failed checks of an envelope, as `{ name: code }`. */
export const failedChecks = (result: { checks: Partial<Record<string, CheckResult>> }) =>
  Object.fromEntries(
    Object.entries(result.checks).flatMap(([name, check]) =>
      !check || check.passed ? [] : [[name, check.code]],
    ),
  )
