import type { CredentialStore, HeldCredential } from './types'

/**
 * A credential store in memory (tests; a page that keeps nothing).
 *
 * @example
 * const store = memoryCredentialStore()
 * await store.put(held)
 */
export function memoryCredentialStore(initial: HeldCredential[] = []): CredentialStore {
  const byId = new Map(initial.map((c) => [c.id, structuredClone(c)]))
  return {
    async list() {
      return [...byId.values()].map((c) => structuredClone(c))
    },
    async put(credential) {
      byId.set(credential.id, structuredClone(credential))
    },
    async delete(id) {
      return byId.delete(id)
    },
  }
}
