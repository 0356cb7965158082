import { ClavisError } from '@clavis/errors'
import type { AgentContext } from '../../context'
import { type CredentialStatus, IssuedCredentialEntity } from '../issuance/entities'
import { StatusGroupEntity } from './entities'
import { type CredentialFormat, listUrls } from './groups'

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
  const { group, format } = await ctx.db.transaction(async (m) => {
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
    // Conditional on the state read: with PostgreSQL's pool a concurrent change may land between
    // the read and this write; then this change is refused rather than applied to a state it
    // was not allowed from (a revocation stays final).
    const changed = await repo
      .createQueryBuilder()
      .update()
      .set({ status: rule.to })
      .where('id = :id AND status IN (:...from)', { id: row.id, from: rule.from })
      .execute()
    if (changed.affected !== 1) {
      throw new ClavisError({
        code: 'conflict',
        message: `The credential's status changed while this ${input.action} was made; read it again and retry.`,
      })
    }
    await m
      .getRepository(StatusGroupEntity)
      .createQueryBuilder()
      .update()
      .set({ version: () => 'version + 1' })
      .where('id = :id', { id: row.statusGroup })
      .execute()
    const changedGroup = await m.getRepository(StatusGroupEntity).findOneByOrFail({ id: row.statusGroup })
    return { group: changedGroup, format: row.format as CredentialFormat }
  })
  // The lists are re-signed when next fetched (their version changed); nothing after the commit
  // can fail the request, so a 2xx always means the change is stored, and an error that it is not.
  // This process's verifier sees the change at once (in every list of the group that publishes
  // it); others within the list's ttl.
  for (const url of listUrls(ctx, group)) ctx.status.clear(url)
  const urls = listUrls(ctx, group, format)
  await ctx.audit.record({
    kind: 'credential.status_changed',
    organisationId: input.organisationId,
    credentialId: input.credentialId,
    action: input.action,
    status: rule.to,
  })
  return { id: input.credentialId, status: rule.to, lists: urls }
}
