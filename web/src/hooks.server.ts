import type { Handle, HandleServerError } from '@sveltejs/kit'

export const handle: Handle = async ({ event, resolve }) => {
  const response = await resolve(event)
  response.headers.set('x-content-type-options', 'nosniff')
  response.headers.set('referrer-policy', 'no-referrer')
  return response
}

/** Unexpected errors: log them here, show the browser only a generic message. */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
  if (status !== 404) console.error(`[web] ${event.request.method} ${event.url.pathname} failed:`, error)
  return { message }
}
