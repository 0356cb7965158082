/** The VC Data Model 1.1 base context (VC DM 1.1 §4.1). */
export const CREDENTIALS_V1_CONTEXT = 'https://www.w3.org/2018/credentials/v1'

/** The VC Data Model 2.0 base context (VC DM 2.0 §4.3); it defines the Bitstring Status List terms. */
export const CREDENTIALS_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2'

/** The Bitstring Status List context (Bitstring Status List v1.0 §5.2): its terms for VC 1.1 credentials. */
export const STATUS_LIST_CONTEXT = 'https://www.w3.org/ns/credentials/status/v1'

/**
 * How a W3C Bitstring Status List credential is secured, as the credentials it serves are
 * (Bitstring Status List v1.0 §3.6): `jwt_vc` — a VC 1.1 JWT (`typ: JWT`, the credential in the
 * `vc` claim, VC DM 1.1 §6.3.1); `vc+jwt` — VC DM 2.0 secured with VC-JOSE-COSE (the JWT Claims
 * Set is the credential).
 */
export type BitstringListFormat = 'jwt_vc' | 'vc+jwt'
