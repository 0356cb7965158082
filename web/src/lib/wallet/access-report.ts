/**
 * A patient's access report at a hospital: who asked for their records, who read what, and every
 * emergency access — read with a DPoP proof of the wallet's key. The hospital's signed checkpoint
 * of its trail that comes with it is kept in the vault: a later rewrite of these entries would
 * not match it.
 */
import type { OutputOf } from '@clavis/api/client'
import { parseBase64urlJson } from '@clavis/crypto'
import type { HolderKey } from '@clavis/holder'
import { dpopProof } from '@clavis/holder'
import { agentPublicUrl, publicApi } from '$lib/agent/browser'
import { walletResolver } from './protocols'
import { wallet } from './session.svelte'

export type AccessReport = OutputOf<'getAccessReport'>
export type ReportEntry = AccessReport['entries'][number]

/** Checkpoints kept per hospital (the oldest are dropped; each covers all entries before it). */
const KEPT = 10

export interface ReadReport {
  report: AccessReport
  /** Set when the hospital's trail is now shorter than a checkpoint this wallet kept: it was cut or rewritten. */
  shrunk?: { kept: number; now: number }
}

/**
 * Reads the report, proving the wallet's key, and keeps the hospital's checkpoint once its
 * signature verifies against the hospital's DID (as the chain has it). Earlier ones are kept too:
 * a later rewrite cannot replace the copy that would show it.
 */
export async function readAccessReport(
  hospitalId: string,
  hospitalDid: string,
  key: HolderKey,
): Promise<ReadReport> {
  const url = `${await agentPublicUrl()}/v1/organisations/${hospitalId}/access-report/${key.did}`
  const report = await publicApi().getAccessReport({
    params: { id: hospitalId, did: key.did },
    headers: { DPoP: await dpopProof(key, 'GET', url) },
  })
  const kept = wallet.contents?.checkpoints?.[hospitalId] ?? []
  const largest = Math.max(0, ...kept.map((c) => c.size))
  const cp = report.checkpoint
  if (await signedByHospital(cp.jwt, hospitalDid, cp)) {
    if (!kept.some((c) => c.jwt === cp.jwt))
      await wallet.update((c) => {
        const list = [...(Array.isArray(c.checkpoints?.[hospitalId]) ? c.checkpoints![hospitalId]! : []), cp]
        return { ...c, checkpoints: { ...c.checkpoints, [hospitalId]: list.slice(-KEPT) } }
      })
  }
  return cp.size < largest ? { report, shrunk: { kept: largest, now: cp.size } } : { report }
}

/** Whether a checkpoint JWT is signed by an assertion key of the hospital's DID and says what it claims. */
async function signedByHospital(
  jwt: string,
  did: string,
  claimed: { size: number; head: string },
): Promise<boolean> {
  const { verifyByDidUrl } = await import('@clavis/verify')
  const [h, p] = jwt.split('.')
  const header = parseBase64urlJson(h ?? '') as { alg?: string; kid?: string } | undefined
  const payload = parseBase64urlJson(p ?? '') as
    | { iss?: string; audit?: { size?: number; head?: string } }
    | undefined
  if (!header?.kid || payload?.iss !== did || !header.kid.startsWith(`${did}#`)) return false
  if (payload.audit?.size !== claimed.size || payload.audit.head !== claimed.head) return false
  const signer = await verifyByDidUrl({
    compact: jwt,
    didUrl: header.kid,
    alg: header.alg ?? '',
    resolver: walletResolver,
    purposes: ['assertionMethod'],
  })
  return signer !== undefined
}

/** What an entry says, in words. */
export function describeEntry(e: ReportEntry): { what: string; tone: 'alert' | 'ok' | 'refused' | 'plain' } {
  if (e.kind === 'access.break_glass')
    return {
      what: `EMERGENCY ACCESS without your grant — reason given: “${e.emergencyReason ?? ''}”`,
      tone: 'alert',
    }
  if (e.kind === 'access.decided')
    return e.permitted
      ? {
          what: e.breakGlass ? 'Emergency access granted' : 'Access granted (your grant)',
          tone: e.breakGlass ? 'alert' : 'ok',
        }
      : { what: `Access refused (${(e.reason ?? 'refused').replace(/_/g, ' ')})`, tone: 'refused' }
  const n = e.resources?.length ?? 0
  return {
    what: `${e.interaction === 'search' ? 'Searched' : 'Read'} ${e.resourceType ?? 'records'}: ${n} record${n === 1 ? '' : 's'}${e.breakGlass ? ' (emergency)' : ''}`,
    tone: e.breakGlass ? 'alert' : 'plain',
  }
}
