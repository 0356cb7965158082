import type { CredentialType } from './credential-types'

/** The W3C VC Data Model 1.1 base context (VC DM 1.1 §4.1: the first `@context` item). */
export const VC_CONTEXT_V1 = 'https://www.w3.org/2018/credentials/v1'

/** The W3C VC Data Model 2.0 base context (VC DM 2.0 §4.3); it also defines the Bitstring Status List terms. */
export const VC_CONTEXT_V2 = 'https://www.w3.org/ns/credentials/v2'

/**
 * The Bitstring Status List context (Bitstring Status List v1.0 §5.2), for VC 1.1 credentials: the
 * 1.1 base context does not define `BitstringStatusListEntry` and its properties.
 */
export const STATUS_LIST_CONTEXT_V1 = 'https://www.w3.org/ns/credentials/status/v1'

/** A `credentialStatus` entry (a `BitstringStatusListEntry` for Clavis; made by `@clavis/status`). */
export interface CredentialStatusEntry {
  readonly type: string
}

/** An unsigned W3C VC 1.1 credential, in the shape Veramo's `createVerifiableCredential` takes. */
export interface UnsignedCredential {
  '@context': string[]
  type: ['VerifiableCredential', CredentialType]
  id?: string
  issuer: { id: string }
  issuanceDate: string
  expirationDate?: string
  credentialSubject: { id: string } & Record<string, unknown>
  credentialStatus?: CredentialStatusEntry[]
  credentialSchema?: { id: string; type: string }
}

/** An unsigned W3C VC 2.0 credential: the JWT Claims Set of a VC-JOSE-COSE `vc+jwt`. */
export interface UnsignedCredentialV2 {
  '@context': string[]
  type: ['VerifiableCredential', CredentialType]
  id?: string
  issuer: string
  validFrom: string
  validUntil?: string
  credentialSubject: { id: string } & Record<string, unknown>
  credentialStatus?: CredentialStatusEntry[]
}

/** Formats a date as an XML Schema dateTime in UTC with whole seconds (JWT `nbf`/`exp` have no milliseconds). */
export function toDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** Matches an XML Schema / ISO 8601 dateTime with a time zone, as VC 1.1 requires. */
export const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/

/** Matches an absolute URI (printable ASCII), e.g. `urn:uuid:…` or `https://…`. */
export const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[\x21-\x7e]+$/
