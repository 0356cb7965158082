import type { z } from 'zod'

/** Stable machine codes for a bad field; the API exposes these, never zod's own codes. */
export type ClaimIssueCode =
  | 'required'
  | 'invalid_type'
  | 'invalid_format'
  | 'invalid_value'
  | 'invalid_date'
  | 'invalid_check_digit'
  | 'too_short'
  | 'too_long'
  | 'out_of_range'
  | 'unknown_field'
  | 'unknown_type'

/** One bad field: dotted path (e.g. `name.given.0`, `(root)` for the whole value), stable code, message. */
export interface ClaimIssue {
  path: string
  code: ClaimIssueCode
  message: string
}

/** The path used when the whole value, not one of its fields, is bad. */
export const ROOT_PATH = '(root)'

const customCodes: ReadonlySet<string> = new Set<ClaimIssueCode>([
  'invalid_format',
  'invalid_value',
  'invalid_date',
  'invalid_check_digit',
  'out_of_range',
])

/** Joins path segments into a dotted path; an empty path is `(root)`. */
export function toPath(segments: readonly PropertyKey[]): string {
  return segments.length === 0 ? ROOT_PATH : segments.map(String).join('.')
}

/** Puts `prefix` in front of an issue's path (`(root)` becomes the prefix itself). */
export function prefixIssue(prefix: string, issue: ClaimIssue): ClaimIssue {
  return { ...issue, path: issue.path === ROOT_PATH ? prefix : `${prefix}.${issue.path}` }
}

function valueAt(input: unknown, segments: readonly PropertyKey[]): unknown {
  let value = input
  for (const segment of segments) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return undefined
    value = (value as Record<PropertyKey, unknown>)[segment]
  }
  return value
}

/**
 * Converts zod issues to claim issues with stable codes; `input` is the parsed value, used to tell
 * a missing field (`required`) from a bad one. Messages never contain claim values.
 */
export function toClaimIssues(issues: readonly z.core.$ZodIssue[], input: unknown): ClaimIssue[] {
  return issues.flatMap((issue): ClaimIssue[] => {
    const path = toPath(issue.path)
    if (issue.code !== 'unrecognized_keys' && valueAt(input, issue.path) === undefined)
      return [{ path, code: 'required', message: 'Required field is missing.' }]
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => ({
          path: toPath([...issue.path, key]),
          code: 'unknown_field',
          message: 'Unknown field; remove it (only the fields of the credential schema are allowed).',
        }))
      case 'invalid_type':
        return [{ path, code: 'invalid_type', message: issue.message }]
      case 'too_big':
        return [{ path, code: isLength(issue.origin) ? 'too_long' : 'out_of_range', message: issue.message }]
      case 'too_small':
        return [{ path, code: isLength(issue.origin) ? 'too_short' : 'out_of_range', message: issue.message }]
      case 'invalid_format':
        return [{ path, code: 'invalid_format', message: issue.message }]
      case 'custom': {
        const code = issue.params?.code
        const known = typeof code === 'string' && customCodes.has(code)
        return [{ path, code: known ? (code as ClaimIssueCode) : 'invalid_value', message: issue.message }]
      }
      default:
        return [{ path, code: 'invalid_value', message: issue.message }]
    }
  })
}

function isLength(origin: string): boolean {
  return origin === 'string' || origin === 'array' || origin === 'set'
}
