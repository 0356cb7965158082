/** The credentials the CLI issues, by the word used on the command line. */
export const CREDENTIAL_WORDS = {
  licence: 'ClinicianLicenseCredential',
  identity: 'PatientIdentityCredential',
} as const

export type CredentialWord = keyof typeof CREDENTIAL_WORDS

/** Accepts the American spelling too. */
export function credentialWord(word: string): CredentialWord | undefined {
  if (word === 'license') return 'licence'
  return Object.hasOwn(CREDENTIAL_WORDS, word) ? (word as CredentialWord) : undefined
}

/**
 * A valid, clearly synthetic example of each credential's claims (FHIR names), printed by
 * `clavis claims template <type>` as a starting point. A test checks each against the schema.
 */
export const CLAIMS_TEMPLATES: Record<CredentialWord, Record<string, unknown>> = {
  licence: {
    name: { family: 'Okafor', given: ['Ada'], prefix: ['Dr.'] },
    profession: {
      system: 'http://nucc.org/provider-taxonomy',
      code: '207R00000X',
      display: 'Internal Medicine',
    },
    licenseNumber: 'A-123456',
    jurisdiction: 'US-CA',
    specialty: [{ system: 'http://snomed.info/sct', code: '394579002', display: 'Cardiology' }],
    npi: '1234567893',
  },
  identity: {
    name: { family: 'Example', given: ['Pat'] },
    birthDate: '1984-02-29',
    identifier: {
      system: 'urn:oid:2.16.840.1.113883.19.5',
      value: 'MRN-0042',
      type: { system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' },
    },
    address: { line: ['1 Main St'], city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' },
    identityAssuranceLevel: 'IAL2',
  },
}
