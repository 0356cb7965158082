/**
 * The wallet's OpenID4VCI and OpenID4VP sides (`@clavis/holder`), wired for the browser: DIDs
 * resolved by the agent, credentials kept in the sealed vault, and plain-http issuers and
 * verifiers accepted only when this page itself runs on loopback (the embedded default).
 */
import { type CredentialStore, createPresenter, createReceiver } from '@clavis/holder'
import { setGlobalConfig } from '@openid4vc/oauth2'
import { replaceState } from '$app/navigation'
import { agentResolver } from '$lib/agent/browser'
import { withCredentials, withoutCredential } from './contents'
import { wallet } from './session.svelte'

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

function allowLoopbackHttp(): void {
  const here = globalThis.location
  if (here?.protocol === 'http:' && LOOPBACK.has(here.hostname)) setGlobalConfig({ allowInsecureUrls: true })
}

const resolver = agentResolver()

export function receiver() {
  allowLoopbackHttp()
  return createReceiver({ resolver })
}

export function presenter() {
  allowLoopbackHttp()
  return createPresenter({ resolver })
}

/** The unlocked wallet as the holder library's store: every put is sealed and saved at once. */
export function vaultStore(): CredentialStore {
  return {
    async list() {
      return wallet.contents ? [...wallet.contents.credentials] : []
    },
    async put(credential) {
      await wallet.update((c) => withCredentials(c, [credential]))
    },
    async delete(id) {
      const had = wallet.contents?.credentials.some((c) => c.id === id) ?? false
      if (had) await wallet.update((c) => withoutCredential(c, id))
      return had
    },
  }
}

/** Takes an offer or request link from what was pasted, scanned or put in the page's fragment. */
export function linkFrom(text: string, scheme: 'openid-credential-offer' | 'openid4vp'): string | undefined {
  const trimmed = text.trim()
  if (trimmed.startsWith(`${scheme}://`)) return trimmed
  // An https link that carries the same query (a "universal link") works too.
  try {
    const url = new URL(trimmed)
    if (url.protocol === 'https:' || url.protocol === 'http:') {
      const wanted = scheme === 'openid4vp' ? 'request_uri' : 'credential_offer'
      if ([...url.searchParams.keys()].some((k) => k.startsWith(wanted))) return `${scheme}://${url.search}`
    }
  } catch {
    // not a URL
  }
  return undefined
}

/**
 * A link handed over in the page's fragment (`/wallet/receive#offer=…`, `/wallet/present#request=…`):
 * read once and removed from the address bar. Fragments never reach a server.
 */
export function takeFromFragment(name: 'offer' | 'request'): string | undefined {
  const value = new URLSearchParams(location.hash.slice(1)).get(name) ?? undefined
  if (value !== undefined) replaceState(location.pathname, {})
  return value
}

export { resolver as walletResolver }
