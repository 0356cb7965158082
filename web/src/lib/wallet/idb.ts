/**
 * The one IndexedDB record the wallet keeps: its sealed vault (everything in it encrypted; see
 * vault-crypto.ts). A put replaces the record in one transaction, so a tab closed mid-save leaves
 * the previous vault or the new one, never half of each.
 */
import type { SealedVault } from './vault-crypto'

const DB = 'clavis-wallet'
const STORE = 'vault'
const KEY = 'main'

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1)
    request.onupgradeneeded = () => request.result.createObjectStore(STORE)
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error ?? new Error('IndexedDB is not available'))
    request.onblocked = () => reject(new Error('Close the wallet’s other tabs and try again.'))
  })
}

async function run<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open()
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode)
      const request = act(tx.objectStore(STORE))
      tx.oncomplete = () => resolve(request.result)
      tx.onerror = () => reject(tx.error ?? request.error)
      tx.onabort = () => reject(tx.error ?? new Error('The wallet could not be saved (the browser aborted).'))
    })
  } finally {
    db.close()
  }
}

export const readSealedVault = (): Promise<unknown> => run('readonly', (s) => s.get(KEY))
export const writeSealedVault = (sealed: SealedVault): Promise<unknown> =>
  run('readwrite', (s) => s.put(sealed, KEY))
export const deleteSealedVault = (): Promise<unknown> => run('readwrite', (s) => s.delete(KEY))
