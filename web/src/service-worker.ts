/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Offline use of the wallet: the app's own files and the wallet's page shell are cached, so
 * credentials can be viewed and shown as QR codes without a network. The agent's API and other
 * parties' endpoints are never cached here (they go to the network or fail).
 */
import { build, files, version } from '$service-worker'

const sw = self as unknown as ServiceWorkerGlobalScope
const CACHE = `clavis-${version}`
const SHELL = '/wallet'

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE)
      await cache.addAll([...build, ...files])
      await cache.add(SHELL).catch(() => {})
    })(),
  )
})

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key)
    })(),
  )
})

sw.addEventListener('fetch', (event) => {
  const request = event.request
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (url.origin !== sw.location.origin || url.pathname.startsWith('/agent/')) return
  const assets = new Set<string>([...build, ...files])
  if (assets.has(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit ?? fetch(request)))
    return
  }
  if (request.mode === 'navigate' && url.pathname.startsWith('/wallet')) {
    // Network first (fresh CSP nonce); the cached shell when offline.
    event.respondWith(
      fetch(request)
        .then(async (response) => {
          if (response.ok && url.pathname === SHELL) (await caches.open(CACHE)).put(SHELL, response.clone())
          return response
        })
        .catch(async () => (await caches.match(SHELL)) ?? Response.error()),
    )
  }
})
