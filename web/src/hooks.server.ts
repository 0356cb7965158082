import type { Handle, HandleServerError } from '@sveltejs/kit'
import { env } from '$env/dynamic/private'
import { DEFAULT_AGENT_URL } from '$lib/server/agent'
import { agentOrigins, widenConnectSrc } from '$lib/server/csp'

export const handle: Handle = async ({ event, resolve }) => {
  const response = await resolve(event)
  response.headers.set('x-content-type-options', 'nosniff')
  response.headers.set('referrer-policy', 'no-referrer')
  // Camera for scanning QR codes on this origin only; nothing else.
  response.headers.set('permissions-policy', 'camera=(self), microphone=(), geolocation=(), payment=()')
  const csp = response.headers.get('content-security-policy')
  if (csp)
    response.headers.set(
      'content-security-policy',
      widenConnectSrc(
        csp,
        agentOrigins([env.CLAVIS_AGENT_URL || DEFAULT_AGENT_URL, env.CLAVIS_AGENT_PUBLIC_URL]),
      ),
    )
  return response
}

/** Unexpected errors: log them here, show the browser only a generic message. */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
  if (status !== 404) console.error(`[web] ${event.request.method} ${event.url.pathname} failed:`, error)
  return { message }
}
