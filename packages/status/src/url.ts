const MAX_URL_LENGTH = 2048

/** Whether `value` is an absolute http(s) URL without credentials or fragment, as list URLs must be. */
export function isListUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_URL_LENGTH) return false
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return false
  }
  return (
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    url.username === '' &&
    url.password === '' &&
    url.hash === '' &&
    !value.includes('#') &&
    !/\s/.test(value)
  )
}
