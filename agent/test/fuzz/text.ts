// Text helpers of the fuzz test.

/** Whether `text` has no lone surrogates (encodeURIComponent throws on them). */
export const wellFormed = (text: string) => {
  try {
    encodeURIComponent(text)
    return true
  } catch {
    return false
  }
}

/** `text` cut to `max` characters (with its length), for labels and reports. */
export const excerpt = (text: string | undefined, max = 240) =>
  text === undefined ? '(none)' : text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text
