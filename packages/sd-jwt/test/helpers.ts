// Keys, DIDs and claims shared by the tests. Not part of the package.
import type { CredentialType } from '@clavis/credentials'
import type { JwsAlgorithm } from '@clavis/crypto'
import { createSigner, generatePrivateKey, publicKeyOf, publicKeyToJwk } from '@clavis/crypto'
import type { IssuerKey } from '../src/verify'

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

/** An issuerKey callback that returns the given keys for one DID and nothing for any other. */
export function issuerKeysFor(iss: string, ...keys: { alg: JwsAlgorithm; publicKey: Uint8Array }[]) {
  return async (options: { iss: string }): Promise<IssuerKey[]> =>
    options.iss === iss ? keys.map(({ alg, publicKey }) => ({ alg, publicKey })) : []
}
