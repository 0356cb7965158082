/**
 * A patient's access report at a hospital: who asked for their records, who read what, and every
 * emergency access — read with a DPoP proof of the wallet's key. The hospital's signed checkpoint
 * of its trail that comes with it is kept in the vault: a later rewrite of these entries would
 * not match it.
 */
import type { OutputOf } from '@clavis/api/client'
import type { HolderKey } from '@clavis/holder'
import { dpopProof } from '@clavis/holder'
import { agentPublicUrl, publicApi } from '$lib/agent/browser'
import { wallet } from './session.svelte'

export type AccessReport = OutputOf<'getAccessReport'>
export type ReportEntry = AccessReport['entries'][number]

export async function readAccessReport(hospitalId: string, key: HolderKey): Promise<AccessReport> {
  const url = `${await agentPublicUrl()}/v1/organisations/${hospitalId}/access-report/${key.did}`
  const report = await publicApi().getAccessReport({
    params: { id: hospitalId, did: key.did },
    headers: { DPoP: await dpopProof(key, 'GET', url) },
  })
  const kept = wallet.contents?.checkpoints?.[hospitalId]
  if (!kept || kept.size <= report.checkpoint.size)
    await wallet.update((c) => ({ ...c, checkpoints: { ...c.checkpoints, [hospitalId]: report.checkpoint } }))
  return report
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
