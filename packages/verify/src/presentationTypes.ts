import type { CheckResult, PresentationCheckName, VerificationResult } from './types'

/**
 * The envelope of a presentation: `valid` only if every presentation check passed and every credential
 * inside is valid. Each credential keeps its own envelope.
 */
export interface PresentationVerificationResult {
  valid: boolean
  format: 'jwt_vp' | 'dc+sd-jwt'
  /** The presenter: the VP signer's DID, or the SD-JWT VC's `sub`. */
  holder?: string
  checks: Record<PresentationCheckName, CheckResult>
  credentials: VerificationResult[]
  /** SD-JWT VC: the claims the holder chose to disclose (plus the always-visible ones). */
  disclosed?: Record<string, unknown>
}

/** What a verifier expects of a presentation it asked for. */
export interface PresentationExpectation {
  /** The nonce the verifier issued for this request. */
  nonce: string
  /** The verifier's own identifier (its DID), which the presentation must name as audience. */
  audience: string
}
