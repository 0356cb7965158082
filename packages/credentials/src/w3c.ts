import type { CredentialType } from './credential-types'

/** The W3C VC Data Model 1.1 base context. */
export const VC_CONTEXT_V1 = 'https://www.w3.org/2018/credentials/v1'

/** An unsigned W3C VC 1.1 credential, in the shape Veramo's `createVerifiableCredential` takes. */
export interface UnsignedCredential {
  '@context': string[]
  type: ['VerifiableCredential', CredentialType]
  id?: string
  issuer: { id: string }
  issuanceDate: string
  expirationDate?: string
  credentialSubject: { id: string } & Record<string, unknown>
  credentialSchema?: { id: string; type: string }
}

/** Formats a date as an XML Schema dateTime in UTC with whole seconds (JWT `nbf`/`exp` have no milliseconds). */
export function toDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** Matches an XML Schema / ISO 8601 dateTime with a time zone, as VC 1.1 requires. */
export const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/

/** Matches an absolute URI (printable ASCII), e.g. `urn:uuid:…` or `https://…`. */
export const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[\x21-\x7e]+$/
