/** A JSON object as decoded: string keys, unknown values. */
export type JsonObject = Record<string, unknown>

/**
 * Whether a value is a plain JSON object (not null, not an array).
 *
 * @example
 * isObject({ a: 1 }) // true
 * isObject([1]) // false
 */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
