import { createHash, randomBytes, randomUUID } from 'node:crypto'

/** A new random identifier (UUID v4). */
export function newId(): string {
  return randomUUID()
}

/** A new API token: `clv_` + 32 random bytes, base64url. */
export function newToken(): string {
  return `clv_${randomBytes(32).toString('base64url')}`
}

/**
 * A random opaque value of `bytes` bytes, base64url, that never starts with `-` (so it can follow
 * a command-line flag as its value).
 *
 * @example
 * const nonce = newOpaqueValue(24) // 32 characters
 */
export function newOpaqueValue(bytes: number): string {
  for (;;) {
    const value = randomBytes(bytes).toString('base64url')
    if (!value.startsWith('-')) return value
  }
}

/** SHA-256 hex of a token, as stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/** Now as an ISO string. */
export function nowIso(): string {
  return new Date().toISOString()
}
