/**
 * A held credential's current status, looked up the way a verifier would: the status list its
 * issuer published (W3C Bitstring for a JWT-VC, IETF Token Status List for an SD-JWT VC), the
 * list's signature checked against the issuer's DID. What the wallet shows with when it looked.
 */
import { parseBase64urlJson } from '@clavis/crypto'
import type { HeldCredential } from '@clavis/holder'
import { createStatusChecker, type StatusChecker } from '@clavis/verify'
import type { Resolvable } from 'did-resolver'
import type { StatusSeen } from './contents'

/** A status checker that fetches lists from wherever the credential says (the issuer's server). */
export function browserStatusChecker(resolver: Resolvable): StatusChecker {
  return createStatusChecker({
    resolver,
    fetchList: async (url, options) => {
      const res = await fetch(url, { signal: options?.signal, credentials: 'omit', cache: 'no-store' })
      if (!res.ok) throw new Error(`HTTP ${res.status}`)
      return res.text()
    },
  })
}

const CODES: Record<string, StatusSeen['state']> = { revoked: 'revoked', suspended: 'suspended' }

export async function checkHeldStatus(
  credential: HeldCredential,
  checker: StatusChecker,
  now = new Date(),
): Promise<StatusSeen> {
  const checkedAt = now.toISOString()
  const payload = parseBase64urlJson(credential.credential.split('.')[1] ?? '') as
    | Record<string, unknown>
    | undefined
  if (!payload) return { state: 'unknown', reason: 'The credential cannot be read.', checkedAt }
  const outcome =
    credential.format === 'jwt_vc_json'
      ? await checker.checkBitstring({
          issuer: credential.issuer,
          credentialStatus: (payload.vc as { credentialStatus?: unknown } | undefined)?.credentialStatus,
          now,
        })
      : await checker.checkToken({ issuer: credential.issuer, status: payload.status, now })
  if (outcome.ok) return { state: 'valid', checkedAt }
  const state = CODES[outcome.error.code] ?? 'unknown'
  return { state, reason: outcome.error.reason, checkedAt }
}
