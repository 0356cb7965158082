// Example claims and DIDs shared by the tests. Not exported from the package.
import type { AccessGrantClaims } from '../../src/access-grant'
import type { ClinicianLicenseClaims } from '../../src/licence'
import type { PatientIdentityClaims } from '../../src/patient-identity'

/** Example DIDs. */
export const dids = {
  board: 'did:ethr:0x14a34:0x02b97c30de767f084ce3080168ee293053ba33b235d7116a3263d29f1450936b71',
  clinician: 'did:ethr:0x14a34:0xb9c5714089478a327f09197987f16f9e5d936e8a',
  patient: 'did:ethr:0x14a34:0x5b2e4b0d8c2b4a3b9f1e7d6c5a4b3c2d1e0f9a8b',
  hospital: 'did:web:hospital.example.org',
}

/** Valid ClinicianLicenseCredential claims. */
export function licenceClaims(): ClinicianLicenseClaims {
  return {
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
  }
}

/** Valid PatientIdentityCredential claims. */
export function patientClaims(): PatientIdentityClaims {
  return {
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
  }
}

/** Valid AccessGrantCredential claims. */
export function grantClaims(): AccessGrantClaims {
  return {
    audience: dids.hospital,
    scope: ['patient/Observation.rs', 'patient/*.r'],
    purposeOfUse: 'TREAT',
    records: ['Observation/abc-123'],
  }
}

/** Returns `days` days after `date`. */
export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 24 * 60 * 60 * 1000)
}
