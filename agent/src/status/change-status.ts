import { ClavisError } from '@clavis/api'
import type { AgentContext } from '../context'
import { type CredentialStatus, IssuedCredentialEntity, StatusGroupEntity } from '../db/entities'
import { currentList, type ListName } from './lists'

/** What staff can do to a credential's status. */
export type StatusAction = 'revoke' | 'suspend' | 'reinstate'

const NEXT: Record<StatusAction, { from: CredentialStatus[]; to: CredentialStatus }> = {
  revoke: { from: ['valid', 'suspended'], to: 'revoked' },
  suspend: { from: ['valid'], to: 'suspended' },
  reinstate: { from: ['suspended'], to: 'valid' },
}

/**
 * Revokes (final), suspends or reinstates a credential: updates its status and its group's version in
 * one transaction, then republishes the group's lists so the next fetch serves the change.
 *
 * @example
 * await changeStatus(ctx, { organisationId, credentialId, action: 'revoke' })
 */
export async function changeStatus(
  ctx: AgentContext,
  input: { organisationId: string; credentialId: string; action: StatusAction },
): Promise<{ id: string; status: CredentialStatus; lists: string[] }> {
  const rule = NEXT[input.action]
  const groupId = await ctx.db.transaction(async (m) => {
    const repo = m.getRepository(IssuedCredentialEntity)
    const row = await repo.findOneBy({ id: input.credentialId, organisationId: input.organisationId })
    if (!row) {
      throw new ClavisError({
        code: 'not_found',
        message: `No credential "${input.credentialId}" issued by this organisation.`,
      })
    }
    if (!row.statusGroup || row.statusIndex === null) {
      throw new ClavisError({
        code: 'conflict',
        message: 'This credential was issued without a status entry; it cannot be revoked. Re-issue it.',
      })
    }
    if (!rule.from.includes(row.status)) {
      throw new ClavisError({
        code: 'conflict',
        message: `Cannot ${input.action} a credential that is ${row.status}.${row.status === 'revoked' ? ' Revocation is final.' : ''}`,
      })
    }
    await repo.update({ id: row.id }, { status: rule.to })
    await m
      .getRepository(StatusGroupEntity)
      .createQueryBuilder()
      .update()
      .set({ version: () => 'version + 1' })
      .where('id = :id', { id: row.statusGroup })
      .execute()
    return row.statusGroup
  })
  const group = await ctx.db.getRepository(StatusGroupEntity).findOneByOrFail({ id: groupId })
  const names: ListName[] = group.format === 'token' ? ['token'] : ['revocation', 'suspension']
  await Promise.all(names.map((name) => currentList(ctx, { groupId, name })))
  const urls = names.map((n) => `${ctx.publicUrl}/v1/status-lists/${groupId}/${n}`)
  // This process's verifier sees the change at once; others within the list's ttl.
  for (const url of urls) ctx.status.clear(url)
  ctx.log.info('credential status changed', { organisation: input.organisationId, action: input.action })
  return { id: input.credentialId, status: rule.to, lists: urls }
}
