// Test-only: SD-JWT VC licences from the scenario's board, presentations and hand-made key bindings.
import { base64urlEncode, publicKeyOf, publicKeyToJwk, type Signer, sha256 } from '@clavis/crypto'
import { issueRawSdJwt, issueSdJwtVc, presentSdJwtVc, vctFor } from '@clavis/sd-jwt'
import { tokenStatusEntry } from '@clavis/status'
import { signRawJwt, type TestIdentity } from './identities'
import { DAY, GOOD_INDEX, licenceClaims, NOW, type Scenario, TOKEN_URL, VERIFIER } from './scenario'

/** The public JWK of a test identity's key (for `cnf.jwk`). */
export const jwkOf = (identity: TestIdentity) =>
  publicKeyToJwk({ alg: 'ES256K', publicKey: publicKeyOf('ES256K', identity.privateKey) })

const seconds = (date: Date) => Math.floor(date.getTime() / 1000)

/** An SD-JWT VC licence from the board (npi, specialty and name disclosable), held by the clinician. */
export function sdLicence(
  scenario: Scenario,
  options: { validFrom?: Date; validUntil?: Date; idx?: number; issuer?: TestIdentity } = {},
): Promise<string> {
  const issuer = options.issuer ?? scenario.board
  return issueSdJwtVc({
    type: 'ClinicianLicenseCredential',
    issuer: issuer.did,
    kid: `${issuer.did}#controller`,
    alg: 'ES256K',
    signer: issuer.signer,
    subject: scenario.clinician.did,
    claims: { ...licenceClaims(), npi: '1234567893' },
    holderJwk: jwkOf(scenario.clinician),
    validFrom: options.validFrom ?? new Date(NOW.getTime() - DAY),
    validUntil: options.validUntil ?? new Date(NOW.getTime() + 365 * DAY),
    status: tokenStatusEntry({ uri: TOKEN_URL, idx: options.idx ?? GOOD_INDEX }),
    disclosable: ['npi', 'specialty', 'name'],
  })
}

/**
 * A licence-shaped SD-JWT from the board made without the schema checks of `issueSdJwtVc`: any
 * `vct` (default: a licence's) and `kid` (default: absolute `#controller`), `extra` claims added
 * to the payload, and `disclosable` top-level names (default: `name`).
 */
export function rawLicence(
  scenario: Scenario,
  options: { vct?: string; kid?: string; extra?: Record<string, unknown>; disclosable?: string[] } = {},
): Promise<string> {
  const { board, clinician } = scenario
  return issueRawSdJwt({
    payload: {
      iss: board.did,
      sub: clinician.did,
      vct: options.vct ?? vctFor('ClinicianLicenseCredential'),
      iat: seconds(NOW) - 60,
      nbf: seconds(NOW) - 60,
      exp: seconds(NOW) + 3600,
      cnf: { jwk: jwkOf(clinician) },
      status: tokenStatusEntry({ uri: TOKEN_URL, idx: GOOD_INDEX }),
      ...licenceClaims(),
      ...options.extra,
    },
    disclosureFrame: { _sd: options.disclosable ?? ['name'] },
    alg: 'ES256K',
    signer: board.signer,
    kid: options.kid ?? `${board.did}#controller`,
  })
}

/** The clinician's presentation of `credential` with a KB-JWT for `nonce` and the verifier. */
export function presentSd(
  scenario: Scenario,
  credential: string,
  options: { nonce: string; audience?: string; disclose?: string[]; issuedAt?: Date },
): Promise<string> {
  return presentSdJwtVc({
    credential,
    disclose: options.disclose ?? ['npi'],
    keyBinding: {
      alg: 'ES256K',
      signer: scenario.clinician.signer,
      nonce: options.nonce,
      audience: options.audience ?? VERIFIER,
      issuedAt: options.issuedAt ?? NOW,
    },
  })
}

/** `presentation` without its KB-JWT (ends with `~`). */
export const withoutKeyBinding = (presentation: string) =>
  presentation.slice(0, presentation.lastIndexOf('~') + 1)

/** `presentation` with its KB-JWT replaced by one (correct `sd_hash`, nonce, audience) signed by `signer`. */
export async function rebind(
  presentation: string,
  options: { signer: Signer; nonce: string; audience?: string },
): Promise<string> {
  const sdJwt = withoutKeyBinding(presentation)
  const kb = await signRawJwt(
    { alg: 'ES256K', typ: 'kb+jwt' },
    {
      iat: seconds(NOW),
      aud: options.audience ?? VERIFIER,
      nonce: options.nonce,
      sd_hash: base64urlEncode(sha256(sdJwt)),
    },
    options.signer,
  )
  return `${sdJwt}${kb}`
}
