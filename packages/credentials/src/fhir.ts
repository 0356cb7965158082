import { z } from 'zod'
import type { ClaimIssueCode } from './claim-issue'

/** A problem found by a custom check: the stable code and a message that does not repeat the value. */
export interface Problem {
  code: ClaimIssueCode
  message: string
}

/** Adds a custom check to a string schema; `check` returns the problem, if any, for a value. */
export function refineString<S extends z.ZodString>(
  schema: S,
  check: (value: string) => Problem | undefined,
): S {
  return schema.superRefine((value, ctx) => {
    const problem = check(value)
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message, params: { code: problem.code } })
  })
}

/** A non-empty single-line string of at most `max` characters with no control characters. */
export function text(max: number) {
  return z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'Must not contain control characters (tabs, new lines, etc.).')
}

/** An absolute URI (FHIR `uri`), printable ASCII, at most 256 characters, e.g. `http://snomed.info/sct`. */
export const uri = z
  .string()
  .max(256)
  .regex(
    /^[A-Za-z][A-Za-z0-9+.-]*:[\x21-\x7e]+$/,
    'Must be an absolute URI such as "http://snomed.info/sct".',
  )

/** FHIR `code`: tokens separated by single spaces, at most 64 characters. */
export const code = z
  .string()
  .max(64)
  .regex(/^[^\s\p{Cc}]+( [^\s\p{Cc}]+)*$/u, 'Must be a code: no leading, trailing or double spaces.')

/** FHIR Coding subset: `system`, `code`, optional `display`. */
export const coding = z.strictObject({
  system: uri,
  code,
  display: text(256).optional(),
})

/** FHIR HumanName subset: `family`, non-empty `given`, optional `prefix`, `suffix`, `text`. */
export const humanName = z.strictObject({
  family: text(128),
  given: z.array(text(64)).min(1).max(8),
  prefix: z.array(text(32)).max(4).optional(),
  suffix: z.array(text(32)).max(4).optional(),
  text: text(256).optional(),
})

/** FHIR Identifier subset: `system`, `value`, optional `type`. */
export const identifier = z.strictObject({
  system: uri,
  value: text(128),
  type: coding.optional(),
})

/** FHIR Address subset; `country` is ISO 3166-1 alpha-2 (e.g. `US`). */
export const address = z.strictObject({
  line: z.array(text(128)).min(1).max(4).optional(),
  city: text(64).optional(),
  state: text(64).optional(),
  postalCode: text(16).optional(),
  country: z
    .string()
    .max(2)
    .regex(/^[A-Z]{2}$/, 'Must be an ISO 3166-1 alpha-2 country code such as "US".')
    .optional(),
})

/** A FHIR Coding as claimed. */
export type Coding = z.infer<typeof coding>
/** A FHIR HumanName as claimed. */
export type HumanName = z.infer<typeof humanName>
