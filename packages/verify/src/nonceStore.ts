/** Single-use nonces a verifier handed out. `consume` succeeds once per nonce, for its audience, before it expires. */
export interface NonceStore {
  consume(options: { nonce: string; audience: string; now: Date }): Promise<boolean>
}

/**
 * An in-memory nonce store (one process; the agent uses a database-backed one).
 *
 * @example
 * const nonces = createMemoryNonceStore()
 * const nonce = nonces.issue({ audience: verifierDid, ttlSeconds: 300 })
 */
export function createMemoryNonceStore(): NonceStore & {
  issue(options: { audience: string; ttlSeconds?: number; now?: Date }): string
} {
  const open = new Map<string, { audience: string; expiresAt: number }>()
  return {
    issue({ audience, ttlSeconds = 300, now = new Date() }) {
      const bytes = new Uint8Array(18)
      globalThis.crypto.getRandomValues(bytes)
      const nonce = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
      open.set(nonce, { audience, expiresAt: now.getTime() + ttlSeconds * 1000 })
      return nonce
    },
    async consume({ nonce, audience, now }) {
      const entry = open.get(nonce)
      if (!entry || entry.audience !== audience || entry.expiresAt <= now.getTime()) return false
      open.delete(nonce)
      return true
    },
  }
}
