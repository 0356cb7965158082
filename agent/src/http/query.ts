import { ClavisError } from '@clavis/errors'

/** A whole-number query parameter in a range; absent → undefined; anything else → `invalid_request` naming it. */
export function intParam(
  value: string | undefined,
  name: string,
  range: { min: number; max: number },
): number | undefined {
  if (value === undefined) return undefined
  const { min, max } = range
  const n = /^\d{1,10}$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ClavisError({
      code: 'invalid_request',
      message: `Query parameter "${name}" must be a whole number from ${min} to ${max}.`,
      issues: [{ path: name, code: 'out_of_range', message: `${min}..${max}` }],
    })
  }
  return n
}

/** A `true`/`false` query parameter; absent → undefined. */
export function boolParam(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined) return undefined
  if (value === 'true' || value === 'false') return value === 'true'
  throw new ClavisError({
    code: 'invalid_request',
    message: `Query parameter "${name}" must be true or false.`,
    issues: [{ path: name, code: 'invalid_value', message: 'true or false' }],
  })
}
