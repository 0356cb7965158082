import { StatusListError } from './errors'

/** Throws `invalid_claims` with `message`. */
export function invalid(message: string): never {
  throw new StatusListError('invalid_claims', message)
}

/** A NumericDate claim as a Date: a non-negative integer number of seconds. */
export function numericDate(payload: Record<string, unknown>, name: string, required: true): Date
export function numericDate(payload: Record<string, unknown>, name: string, required: false): Date | undefined
export function numericDate(
  payload: Record<string, unknown>,
  name: string,
  required: boolean,
): Date | undefined {
  const value = payload[name]
  if (value === undefined && !required) return undefined
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > 253402300799) {
    invalid(`Claim ${name} must be a whole number of seconds.`)
  }
  return new Date(value * 1000)
}

/** A required non-empty string claim of bounded length. */
export function text(payload: Record<string, unknown>, name: string, max = 2048): string {
  const value = payload[name]
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    invalid(`Claim ${name} must be a non-empty string.`)
  }
  return value
}
