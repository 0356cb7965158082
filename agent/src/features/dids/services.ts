import { hexlify, toUtf8Bytes } from 'ethers'
import { readValidEntries } from '../../chain/did-entries'
import type { AgentContext } from '../../context'
import { getOrganisation } from '../organisations/organisations'
import { LONG_VALIDITY_SECONDS } from './attributes'
import { activeOrganisation, identifierAndController, writeAs } from './controller'
import type { DidOperationRow } from './entities'
import { commitOperation, paramsOf, runOperation } from './operation-store'

interface ServiceParams {
  serviceId: string
  type: string
  serviceEndpoint: string
  ttl: number
}

/**
 * Adds a service endpoint to an organisation's DID on chain (`did/svc/<type>` attribute) and to
 * the agent's records. Crash-safe: recorded as an intent first, completed by
 * {@link advanceAddService} (also at the next start).
 *
 * @example
 * await addService(ctx, { organisationId, type: 'LinkedDomains', serviceEndpoint: 'https://board.example' })
 */
export async function addService(
  ctx: AgentContext,
  input: { organisationId: string; type: string; serviceEndpoint: string },
): Promise<{ txHash: string | null }> {
  const org = await activeOrganisation(ctx, input.organisationId)
  const { identifier } = await identifierAndController(ctx, org.did)
  return runOperation(
    ctx,
    {
      organisationId: org.id,
      kind: 'add-service',
      params: {
        serviceId: `${org.did}#service-${identifier.services.length + 1}`,
        type: input.type,
        serviceEndpoint: input.serviceEndpoint,
        ttl: LONG_VALIDITY_SECONDS,
      } satisfies ServiceParams,
    },
    advanceAddService,
  )
}

/** Puts the service on chain unless it is there, then records it; idempotent. */
export async function advanceAddService(
  ctx: AgentContext,
  op: DidOperationRow,
): Promise<{ txHash: string | null }> {
  const p = paramsOf<ServiceParams>(op)
  if (op.state !== 'pending') return JSON.parse(op.result ?? '{"txHash":null}')
  const org = await getOrganisation(ctx, op.organisationId)
  const { identifier, controller } = await identifierAndController(ctx, org.did)
  const { name, value } = serviceAttribute(p.type, p.serviceEndpoint)
  const { attributes } = await readValidEntries({
    provider: ctx.chain.provider,
    registry: ctx.chain.registry,
    did: org.did,
    now: new Date(),
  })
  let txHash: string | null = null
  if (!attributes.some((a) => a.name === name && a.value === value)) {
    txHash = await writeAs(ctx, identifier, controller, (d) => d.setAttribute(name, p.serviceEndpoint, p.ttl))
  }
  if (!identifier.services.some((s) => s.id === p.serviceId)) {
    await ctx.veramo.didManagerAddService({
      did: org.did,
      service: { id: p.serviceId, type: p.type, serviceEndpoint: p.serviceEndpoint },
      options: { localOnly: true },
    })
  }
  const result = { txHash }
  await ctx.db.transaction((m) =>
    commitOperation(m, op, {
      state: 'done',
      result,
      event: { kind: 'add-service', detail: { type: p.type, serviceEndpoint: p.serviceEndpoint }, txHash },
    }),
  )
  return result
}

/** The registry attribute of a service: `did/svc/<type>` and the endpoint as 0x-hex (lower case). */
export function serviceAttribute(type: string, endpoint: string): { name: string; value: string } {
  return { name: `did/svc/${type}`, value: hexlify(toUtf8Bytes(endpoint)).toLowerCase() }
}
