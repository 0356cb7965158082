import { vctFor } from '@clavis/sd-jwt'

/** The credential types an organisation offers through OpenID4VCI (grants are issued by patients). */
export type OfferableType = 'ClinicianLicenseCredential' | 'PatientIdentityCredential'

/** How a configuration is issued: a VC 1.1 JWT-VC (`jwt_vc_json`) or an SD-JWT VC (`dc+sd-jwt`). */
export type ConfigurationFormat = 'jwt_vc_json' | 'dc+sd-jwt'

/** One credential configuration (OpenID4VCI 1.0 §12.2.4) the issuer supports. */
export interface Configuration {
  id: string
  type: OfferableType
  format: ConfigurationFormat
}

const LABELS: Record<OfferableType, { name: string; background: string; text: string }> = {
  ClinicianLicenseCredential: { name: 'Clinician licence', background: '#1f3a5f', text: '#ffffff' },
  PatientIdentityCredential: { name: 'Patient identity', background: '#0f5e5a', text: '#ffffff' },
}

/** The claims a wallet shows, with their display names (top-level claims of each type). */
const CLAIMS: Record<OfferableType, [string, string, boolean][]> = {
  ClinicianLicenseCredential: [
    ['name', 'Name', true],
    ['profession', 'Profession', true],
    ['licenseNumber', 'Licence number', true],
    ['jurisdiction', 'Jurisdiction', true],
    ['specialty', 'Specialty', true],
    ['npi', 'NPI', false],
  ],
  PatientIdentityCredential: [
    ['name', 'Name', true],
    ['birthDate', 'Date of birth', true],
    ['identifier', 'Patient identifier', true],
    ['insuranceMemberId', 'Insurance member id', false],
    ['address', 'Address', false],
    ['identityAssuranceLevel', 'Identity assurance level', true],
  ],
}

/** Which organisation kind offers which type. */
export const OFFERED_BY: Record<'board' | 'hospital', OfferableType> = {
  board: 'ClinicianLicenseCredential',
  hospital: 'PatientIdentityCredential',
}

/**
 * The configuration id of a type in a format, e.g. `ClinicianLicenseCredential_jwt_vc_json`,
 * `PatientIdentityCredential_dc_sd_jwt`.
 *
 * @example
 * configurationId('ClinicianLicenseCredential', 'dc+sd-jwt') // 'ClinicianLicenseCredential_dc_sd_jwt'
 */
export function configurationId(type: OfferableType, format: ConfigurationFormat): string {
  return `${type}_${format === 'jwt_vc_json' ? 'jwt_vc_json' : 'dc_sd_jwt'}`
}

/** The configurations of one type, JWT-VC first. */
export function configurationsOf(type: OfferableType): Configuration[] {
  return (['jwt_vc_json', 'dc+sd-jwt'] as const).map((format) => ({
    id: configurationId(type, format),
    type,
    format,
  }))
}

/** The configuration with this id, if it is one of ours. */
export function configurationById(id: string): Configuration | undefined {
  for (const type of Object.keys(LABELS) as OfferableType[])
    for (const c of configurationsOf(type)) if (c.id === id) return c
  return undefined
}

/**
 * The `credential_configurations_supported` entry of a configuration (OpenID4VCI 1.0 §12.2.4,
 * Appendix A.1.1 `jwt_vc_json`, A.3 `dc+sd-jwt`). The credential is bound to the key the wallet
 * proves with an `openid4vci-proof+jwt` (ES256K or ES256): a did:ethr or did:jwk key named in `kid`,
 * or a bare `jwk` (then its did:jwk is the subject); signed with the organisation's secp256k1
 * assertion key. `credential_metadata` carries display and claims: it
 * also tells wallets this is OpenID4VCI 1.0.
 */
export function configurationMetadata(
  c: Configuration,
  options: { logoUri: string },
): Record<string, unknown> {
  const label = LABELS[c.type]
  const prefix = c.format === 'jwt_vc_json' ? ['credentialSubject'] : []
  const common = {
    format: c.format,
    scope: c.id,
    cryptographic_binding_methods_supported: ['did:ethr', 'did:jwk', 'jwk'],
    credential_signing_alg_values_supported: ['ES256K'],
    proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256K', 'ES256'] } },
    credential_metadata: {
      display: [
        {
          name: label.name,
          locale: 'en',
          background_color: label.background,
          text_color: label.text,
          logo: { uri: options.logoUri, alt_text: `${label.name} logo` },
        },
      ],
      claims: CLAIMS[c.type].map(([name, display, mandatory]) => ({
        path: [...prefix, name],
        mandatory,
        display: [{ name: display, locale: 'en' }],
      })),
    },
  }
  return c.format === 'jwt_vc_json'
    ? { ...common, credential_definition: { type: ['VerifiableCredential', c.type] } }
    : { ...common, vct: vctFor(c.type) }
}
