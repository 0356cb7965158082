import { StatusListError } from '../../src/errors'

/** Test helper: the StatusListError code a function throws, or undefined. */
export function errorCode(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (e) {
    return e instanceof StatusListError ? e.code : `not a StatusListError: ${String(e)}`
  }
  return undefined
}

/** Test helper: the StatusListError code a promise rejects with, or undefined. */
export async function rejectionCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise
  } catch (e) {
    return e instanceof StatusListError ? e.code : `not a StatusListError: ${String(e)}`
  }
  return undefined
}
