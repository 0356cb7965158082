/**
 * The browser's access to its Clavis agent, through this web app's `/agent/v1/…` pass-through
 * (same origin: no CORS, and the page's CSP needs no exception). The typed client of
 * `@clavis/api` checks every answer against the contract.
 */
import { type ApiClient, ApiError, createApiClient } from '@clavis/api/client'
import type { DIDResolutionResult, Resolvable } from 'did-resolver'

const base = () => `${globalThis.location?.origin ?? 'http://127.0.0.1'}/agent`

/** Public calls (no token): DIDs, organisations, status lists, health. */
export function publicApi(): ApiClient {
  return createApiClient({ baseUrl: base(), timeoutMs: 20_000 })
}

/** Calls as an organisation's staff, with the token kept for this tab only. */
export function staffApi(token: string): ApiClient {
  return createApiClient({ baseUrl: base(), token, timeoutMs: 60_000 })
}

/** An error's message for people: what happened and, for the agent's errors, what to do. */
export function explain(error: unknown): string {
  if (error instanceof ApiError) {
    const body = error.body as { message?: unknown; hint?: unknown } | undefined
    const message = typeof body?.message === 'string' ? body.message : error.message
    const hint = typeof body?.hint === 'string' ? ` ${body.hint}` : ''
    if (error.code === 'agent_unreachable' || error.code === 'agent_timeout')
      return `The Clavis agent did not answer (${error.code}). Check that it runs (npm start), then try again.`
    return `${message}${hint}`
  }
  return error instanceof Error ? error.message : String(error)
}

/** DID resolution by the agent (`GET /v1/dids/{did}`), with a short cache for one page's work. */
export function agentResolver(ttlMs = 30_000): Resolvable {
  const cache = new Map<string, { at: number; result: Promise<DIDResolutionResult> }>()
  const api = publicApi()
  return {
    resolve(didUrl: string): Promise<DIDResolutionResult> {
      const did = didUrl.split('#')[0]!.split('?')[0]!
      const hit = cache.get(did)
      if (hit && Date.now() - hit.at < ttlMs) return hit.result
      const result = api
        .resolveDid({ params: { did } })
        .then((r) => r as unknown as DIDResolutionResult)
        .catch(
          (): DIDResolutionResult => ({
            didResolutionMetadata: { error: 'notFound' },
            didDocument: null,
            didDocumentMetadata: {},
          }),
        )
      cache.set(did, { at: Date.now(), result })
      return result
    },
  }
}

/** An organisation the agent knows, by DID: the names the wallet shows as verified. */
export interface KnownOrganisation {
  id: string
  name: string
  kind: 'board' | 'hospital'
  did: string
}

const DIRECTORY_KEY = 'clavis-directory'

/** The directory as last fetched, for when the agent cannot be reached. */
function lastDirectory(): KnownOrganisation[] {
  try {
    const list = JSON.parse(globalThis.localStorage?.getItem(DIRECTORY_KEY) ?? '[]') as unknown
    return Array.isArray(list)
      ? list.filter(
          (o): o is KnownOrganisation =>
            typeof o?.did === 'string' &&
            typeof o?.name === 'string' &&
            (o.kind === 'board' || o.kind === 'hospital'),
        )
      : []
  } catch {
    return []
  }
}

let directory: Promise<KnownOrganisation[]> | undefined
let directoryAt = 0

/**
 * The agent's directory of organisations (name, kind, DID): the trust information the wallet shows
 * names from. A name the credential or an issuer's metadata states is never shown as verified.
 */
export function knownOrganisations(): Promise<KnownOrganisation[]> {
  if (!directory || Date.now() - directoryAt > 60_000) {
    directoryAt = Date.now()
    directory = publicApi()
      .listOrganisations()
      .then((r) => {
        const list = r.organisations as KnownOrganisation[]
        // Public information, kept so that names still show offline.
        globalThis.localStorage?.setItem(DIRECTORY_KEY, JSON.stringify(list))
        return list
      })
      .catch(() => {
        directory = undefined
        return lastDirectory()
      })
  }
  return directory
}

/** The agent's chain id (a new wallet's did:ethr is on it). */
export async function agentChainId(): Promise<number> {
  const health = await publicApi().getHealth()
  return health.chain.chainId
}

let publicUrl: Promise<string> | undefined

/**
 * The agent's public URL (`/v1/health`): where its lists and APIs say they are. A DPoP proof names
 * the URL as the agent knows it, whatever path this page reached it through.
 */
export function agentPublicUrl(): Promise<string> {
  publicUrl ??= publicApi()
    .getHealth()
    .then((h) => {
      if (!h.publicUrl) throw new Error('The agent does not say its public URL; update it.')
      return h.publicUrl.replace(/\/+$/, '')
    })
    .catch((e) => {
      publicUrl = undefined
      throw e
    })
  return publicUrl
}

/** Calls with an access request's secret (`Authorization: Bearer <secret>`). */
export function secretApi(secret: string): ApiClient {
  return createApiClient({ baseUrl: base(), token: secret, timeoutMs: 30_000 })
}
