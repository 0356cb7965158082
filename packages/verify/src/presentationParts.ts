import type { EcPublicJwk } from '@clavis/crypto'
import type { CheckOutcome, PresentationFormat, VerificationResult } from './types'

/** Who a presentation's signature proves is presenting: a DID (JWT VP) or the holder of a key (SD-JWT `cnf`). */
export type Presenter = { did: string } | { jwk: EcPublicJwk }

/** What the holder signed for this request (JWT VP payload, KB-JWT payload), as received. */
export interface RequestClaims {
  aud: unknown
  nonce: unknown
  iat?: unknown
  nbf?: unknown
  exp?: unknown
}

/**
 * What a presentation format hands to the format-neutral checks (`checkHolderBinding`,
 * `checkNonceAudience`): each part already checked as far as the format goes, or why it could
 * not be.
 */
export interface PresentationParts {
  format: PresentationFormat
  /** The presenter's DID as the presentation names it (VP `iss`, SD-JWT VC `sub`). */
  holder?: string | undefined
  /** The holder's signature over the request: the VP's by a holder authentication key, the KB-JWT's by `cnf.jwk`. */
  signature: CheckOutcome
  /** Who that signature binds the presentation to, or why no one can be bound. */
  presenter: CheckOutcome<Presenter>
  /** Other fields naming the holder, by name, which must agree with a DID presenter (JWT VP: `sub`, `holder`, `vp.holder`). */
  namedHolders: Record<string, unknown>
  /** The claims the holder signed for this request, or why they cannot be read. */
  request: CheckOutcome<RequestClaims>
  /** Whether the signed request must carry `exp` (a JWT VP must; a KB-JWT carries `iat` only). */
  requireExpiry: boolean
  /** Every credential's own envelope. */
  credentials: VerificationResult[]
  /** SD-JWT VC: the disclosed claims, once the issuer's signature and the disclosures verified. */
  disclosed?: Record<string, unknown> | undefined
}
