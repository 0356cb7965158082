// Keys, DIDs and claims shared by the tests. Not part of the package.
import type { CredentialType } from '@clavis/credentials'
import type { Failure, JwsAlgorithm, Result } from '@clavis/crypto'
import {
  createSigner,
  fail,
  generatePrivateKey,
  ok,
  publicKeyOf,
  publicKeyToJwk,
  verifySignature,
} from '@clavis/crypto'
import { decodeSdJwtVc } from '../src/decode'
import { disclosedClaims } from '../src/disclosures'
import { issueSdJwtVc } from '../src/issue'
import { checkKeyBinding, decodeKeyBinding } from '../src/key-binding'
import type { DecodedSdJwtVc, DisclosedClaims, KeyBinding } from '../src/types'

/** A key pair with its signer and public JWK. */
export function keyPair(alg: JwsAlgorithm) {
  const privateKey = generatePrivateKey(alg)
  const publicKey = publicKeyOf(alg, privateKey)
  return {
    alg,
    privateKey,
    publicKey,
    signer: createSigner({ alg, privateKey }),
    jwk: publicKeyToJwk({ alg, publicKey }),
  }
}

export const dids = {
  board: 'did:ethr:0x14a34:0x02b97c30de767f084ce3080168ee293053ba33b235d7116a3263d29f1450936b71',
  hospital: 'did:ethr:0x14a34:0x5b2e4b0d8c2b4a3b9f1e7d6c5a4b3c2d1e0f9a8c',
  clinician: 'did:ethr:0x14a34:0xb9c5714089478a327f09197987f16f9e5d936e8a',
  patient: 'did:ethr:0x14a34:0x5b2e4b0d8c2b4a3b9f1e7d6c5a4b3c2d1e0f9a8b',
}

export const DAY_MS = 24 * 60 * 60 * 1000

/** Valid claims of each type, with the issuer and subject a real deployment would use. */
export const examples: Record<
  CredentialType,
  { issuer: string; subject: string; claims: Record<string, unknown> }
> = {
  ClinicianLicenseCredential: {
    issuer: dids.board,
    subject: dids.clinician,
    claims: {
      name: { family: 'Okafor', given: ['Ada', 'N.'], prefix: ['Dr.'] },
      profession: {
        system: 'http://nucc.org/provider-taxonomy',
        code: '207R00000X',
        display: 'Internal Medicine',
      },
      licenseNumber: 'A-123456/7',
      jurisdiction: 'US-CA',
      specialty: [{ system: 'http://snomed.info/sct', code: '394579002', display: 'Cardiology' }],
      npi: '1234567893',
    },
  },
  PatientIdentityCredential: {
    issuer: dids.hospital,
    subject: dids.patient,
    claims: {
      name: { family: 'García', given: ['Lucía'] },
      birthDate: '1984-02-29',
      identifier: {
        system: 'urn:oid:2.16.840.1.113883.19.5',
        value: 'MRN-0042',
        type: { system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' },
      },
      insuranceMemberId: 'XZ-99812',
      address: { line: ['1 Main St'], city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' },
      identityAssuranceLevel: 'IAL2',
    },
  },
  AccessGrantCredential: {
    issuer: dids.patient,
    subject: dids.clinician,
    claims: {
      audience: dids.hospital,
      scope: ['patient/Observation.rs', 'patient/*.r'],
      purposeOfUse: 'TREAT',
      records: ['Observation/abc-123'],
    },
  },
}

/** {@link decodeSdJwtVc}, throwing on failure (for tests that only read what was issued). */
export function decoded(compact: string): DecodedSdJwtVc {
  const result = decodeSdJwtVc(compact)
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.reason}`)
  return result.value
}

/** A candidate public key of the issuer. */
export interface IssuerKey {
  alg: JwsAlgorithm
  publicKey: Uint8Array
}

/**
 * The package's verification steps in the order a verifier runs them, with the issuer's keys given
 * as a list (in the product, `@clavis/verify` takes them from the issuer's DID document): decode,
 * issuer signature (`no_matching_key` without a key of the header's alg, `invalid_signature` when
 * none verifies), disclosures, key binding. Nonce, audience and freshness are `@clavis/verify`'s.
 */
export function checkPresentation(
  presentation: unknown,
  issuerKeys: readonly IssuerKey[],
): Result<DisclosedClaims & { decoded: DecodedSdJwtVc; keyBinding: KeyBinding }, Failure> {
  const read = decodeSdJwtVc(presentation)
  if (!read.ok) return read
  const decoded = read.value
  const { alg } = decoded.header
  const usable = issuerKeys.filter((key) => key.alg === alg)
  if (usable.length === 0) return fail('no_matching_key', `The issuer has no ${alg} key.`)
  const data = decoded.issuerSigningInput
  const signature = decoded.issuerSignature
  if (!usable.some(({ publicKey }) => verifySignature({ alg, publicKey, data, signature })))
    return fail('invalid_signature', 'The issuer signature does not verify with any key of the issuer.')
  const disclosed = disclosedClaims(decoded)
  if (!disclosed.ok) return disclosed
  const kb = decodeKeyBinding(decoded)
  if (!kb.ok) return kb
  const keyBinding = checkKeyBinding({ credential: decoded, keyBinding: kb.value })
  if (!keyBinding.ok) return keyBinding
  return ok({ ...disclosed.value, decoded, keyBinding: keyBinding.value })
}

/** The example credential of `type`, issued (valid 30 days, with a status entry) by `issuer` to `holder`'s key. */
export function issueExample(
  type: CredentialType,
  holder: ReturnType<typeof keyPair>,
  issuer: ReturnType<typeof keyPair>,
): Promise<string> {
  const { issuer: iss, subject, claims } = examples[type]
  const validFrom = new Date()
  return issueSdJwtVc({
    type,
    issuer: iss,
    kid: `${iss}#controller`,
    alg: 'ES256K',
    signer: issuer.signer,
    subject,
    claims,
    holderJwk: holder.jwk,
    validFrom,
    validUntil: new Date(validFrom.getTime() + 30 * DAY_MS),
    status: { status_list: { idx: 7, uri: 'https://agent.example.org/status/1' } },
  })
}
