import { readValidEntries } from '../../chain/did-entries'
import { identityOwner } from '../../chain/owner'
import type { AgentContext } from '../../context'
import { OrganisationEntity } from '../organisations/entities'
import {
  activeAssertionKey,
  advanceAddAssertionKey,
  ensureAssertionKey,
  republishLostAssertionKeys,
} from './assertion-keys'
import { attributeValue, KEY_ATTRIBUTE, LONG_VALIDITY_SECONDS } from './attributes'
import { addressOf, fundIfNeeded, identifierAndController, writeAs } from './controller'
import { advanceDeactivation } from './deactivate'
import { advanceAddKey, advanceRevokeKey } from './delegate-keys'
import { DidEventEntity, type DidOperationRow } from './entities'
import { advancingNow, openOperations, whileAdvancing } from './operation-store'
import { advanceRotation } from './rotate'
import { advanceAddService, serviceAttribute } from './services'

/** Takes an operation as far as it goes (the step functions skip what is done). */
export function advanceOperation(ctx: AgentContext, op: DidOperationRow): Promise<unknown> {
  switch (op.kind) {
    case 'rotate':
      return advanceRotation(ctx, op)
    case 'add-service':
      return advanceAddService(ctx, op)
    case 'add-key':
      return advanceAddKey(ctx, op)
    case 'revoke-key':
      return advanceRevokeKey(ctx, op)
    case 'deactivate':
      return advanceDeactivation(ctx, op)
    case 'add-assertion-key':
      return advanceAddAssertionKey(ctx, op)
  }
}

/** What reconciliation found: what it completed or repaired, and what is still out of step. */
export interface ReconcileReport {
  /** Completed or repaired (for the start-up messages and the log). */
  done: string[]
  /** Still wrong, with what to do; the agent's health is degraded while any remain. */
  problems: string[]
}

/**
 * Brings the database, the key store and the chain back in step: completes every DID operation a
 * crash (or a failed request) left open, from what the chain holds — those idle for `minIdleMs`
 * at least, so that one still in flight in another process is left alone — then checks every
 * active organisation — the
 * chain's owner is the database's controller key, its controller has gas (re-funded when a funder
 * is configured), it has an assertion key (one made before assertion keys existed gets its first),
 * and the services, delegate keys and assertion keys the database records are on chain
 * (re-applied when a lost chain state dropped them). Never throws: what it cannot fix it reports.
 *
 * @example
 * const report = await reconcile(ctx)
 * for (const line of report.done) console.log(line)
 */
export async function reconcile(
  ctx: AgentContext,
  options: { minIdleMs?: number } = {},
): Promise<ReconcileReport> {
  const report: ReconcileReport = { done: [], problems: [] }
  const busy = advancingNow(ctx)
  const idleSince = Date.now() - (options.minIdleMs ?? 0)
  for (const op of await openOperations(ctx)) {
    // Not one a request of this process is advancing, nor (another process's) still in flight.
    if (busy.has(op.id) || Date.parse(op.updatedAt) > idleSince) continue
    try {
      await whileAdvancing(ctx, op, () => advanceOperation(ctx, op))
      report.done.push(
        `completed the interrupted ${op.kind} of organisation ${op.organisationId} (begun ${op.createdAt})`,
      )
    } catch (e) {
      report.problems.push(
        `the interrupted ${op.kind} of organisation ${op.organisationId} (begun ${op.createdAt}) could not be completed yet: ${(e as Error).message}`,
      )
    }
  }
  const open = new Set((await openOperations(ctx)).map((o) => o.organisationId))
  const orgs = await ctx.db.getRepository(OrganisationEntity).findBy({ status: 'active' })
  for (const org of orgs) {
    if (open.has(org.id)) continue
    try {
      await checkOrganisation(ctx, org.id, org.did, report)
    } catch (e) {
      report.problems.push(`organisation ${org.id}: its DID could not be checked: ${(e as Error).message}`)
    }
  }
  return report
}

async function checkOrganisation(
  ctx: AgentContext,
  organisationId: string,
  did: string,
  report: ReconcileReport,
): Promise<void> {
  const { identifier, controller } = await identifierAndController(ctx, did)
  const signer = addressOf(controller.publicKeyHex)
  const owner = await identityOwner(ctx.chain, did)
  if (owner !== signer) {
    report.problems.push(
      `organisation ${organisationId}: the chain names ${owner} as the owner of ${did}, but the agent's controller key is ${signer}; it cannot change its DID until this is resolved (was the chain reset?)`,
    )
    return
  }
  if (ctx.chain.funderKey) {
    const before = await ctx.chain.provider.getBalance(signer)
    await ctx.chain.write(() => fundIfNeeded(ctx, signer))
    if ((await ctx.chain.provider.getBalance(signer)) > before)
      report.done.push(`organisation ${organisationId}: re-funded its controller ${signer}`)
  }
  const { attributes } = await readValidEntries({
    provider: ctx.chain.provider,
    registry: ctx.chain.registry,
    did,
    now: new Date(),
  })
  const onChain = new Set(attributes.map((a) => `${a.name} ${a.value}`))
  for (const service of identifier.services) {
    const endpoint =
      typeof service.serviceEndpoint === 'string'
        ? service.serviceEndpoint
        : JSON.stringify(service.serviceEndpoint)
    const { name, value } = serviceAttribute(service.type, endpoint)
    if (onChain.has(`${name} ${value}`)) continue
    await writeAs(ctx, identifier, controller, (d) => d.setAttribute(name, endpoint, LONG_VALIDITY_SECONDS))
    report.done.push(
      `organisation ${organisationId}: re-applied its service ${service.id} that the chain had lost`,
    )
  }
  if (!(await activeAssertionKey(ctx.db, organisationId))) {
    await ensureAssertionKey(ctx, organisationId)
    report.done.push(`organisation ${organisationId}: published its assertion key, which signs from now on`)
  }
  for (const kid of await republishLostAssertionKeys(
    ctx,
    { id: organisationId, did },
    identifier,
    controller,
  ))
    report.done.push(
      `organisation ${organisationId}: re-applied its assertion key ${kid} that the chain had lost`,
    )
  const added = await ctx.db
    .getRepository(DidEventEntity)
    .findBy({ organisationId, kind: 'add-delegate-key' })
  for (const key of identifier.keys) {
    if (key.kid === controller.kid) continue
    const event = added.find((e) => (JSON.parse(e.detail) as { kid: string }).kid === key.kid)
    if (!event) continue
    const { validitySeconds } = JSON.parse(event.detail) as { validitySeconds: number }
    const until = Date.parse(event.at) + validitySeconds * 1000
    const left = Math.floor((until - Date.now()) / 1000)
    const value = attributeValue(key.publicKeyHex)
    if (left <= 60 || onChain.has(`${KEY_ATTRIBUTE} ${value}`)) continue
    await writeAs(ctx, identifier, controller, (d) => d.setAttribute(KEY_ATTRIBUTE, value, left))
    report.done.push(
      `organisation ${organisationId}: re-applied its delegate key ${key.kid} that the chain had lost`,
    )
  }
}
