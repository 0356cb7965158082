/**
 * The wallet's encryption at rest, on WebCrypto only: a passphrase → PBKDF2-HMAC-SHA-256 with
 * 600,000 iterations (OWASP's 2023 figure for that hash) and a random 16-byte salt → a
 * non-extractable AES-256-GCM key. Every save seals the whole vault again under a fresh 12-byte IV,
 * with the format's name as additional data. A wrong passphrase fails GCM's tag check: it never
 * opens, and {@link WrongPassphraseError} says so.
 */

export const KDF_ITERATIONS = 600_000
const AAD = new TextEncoder().encode('clavis-wallet-vault-v1')

/** What IndexedDB (and a backup file) keeps: nothing in it is readable without the passphrase. */
export interface SealedVault {
  format: 'clavis-wallet-vault'
  version: 1
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: string }
  iv: string
  ciphertext: string
}

export class WrongPassphraseError extends Error {
  readonly code = 'wrong_passphrase'
  constructor() {
    super('That passphrase does not open this wallet. Check it and try again.')
    this.name = 'WrongPassphraseError'
  }
}

export class DamagedVaultError extends Error {
  readonly code = 'vault_damaged'
  constructor(detail: string) {
    super(`The stored wallet cannot be read (${detail}). Import a backup, or reset the wallet.`)
    this.name = 'DamagedVaultError'
  }
}

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes))
const unb64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))

function bytesOf(text: unknown, what: string): Uint8Array {
  if (typeof text !== 'string') throw new DamagedVaultError(`no ${what}`)
  try {
    return unb64(text)
  } catch {
    throw new DamagedVaultError(`${what} is not base64`)
  }
}

/** Derives the vault key from a passphrase; slow on purpose (about half a second). */
export async function deriveVaultKey(
  passphrase: string,
  salt: Uint8Array,
  iterations: number,
): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(passphrase.normalize('NFC')),
    'PBKDF2',
    false,
    ['deriveKey'],
  )
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  )
}

/** An unlocked vault's key with the parameters it was derived with (to seal again). */
export interface VaultKey {
  key: CryptoKey
  salt: Uint8Array
  iterations: number
}

/** A new key for a new wallet (or a new passphrase): fresh salt, current iterations. */
export async function newVaultKey(passphrase: string): Promise<VaultKey> {
  const salt = crypto.getRandomValues(new Uint8Array(16))
  return { key: await deriveVaultKey(passphrase, salt, KDF_ITERATIONS), salt, iterations: KDF_ITERATIONS }
}

export async function sealVault(vaultKey: VaultKey, contents: unknown): Promise<SealedVault> {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const plain = new TextEncoder().encode(JSON.stringify(contents))
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: AAD }, vaultKey.key, plain),
  )
  return {
    format: 'clavis-wallet-vault',
    version: 1,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: vaultKey.iterations, salt: b64(vaultKey.salt) },
    iv: b64(iv),
    ciphertext: b64(ciphertext),
  }
}

/** Checks the shape of something claiming to be a sealed vault (from IndexedDB or a backup file). */
export function asSealedVault(value: unknown): SealedVault {
  const v = value as Partial<SealedVault> | null
  if (!v || typeof v !== 'object' || v.format !== 'clavis-wallet-vault' || v.version !== 1)
    throw new DamagedVaultError('not a Clavis wallet')
  const k = v.kdf
  if (
    k?.name !== 'PBKDF2' ||
    k.hash !== 'SHA-256' ||
    !Number.isInteger(k.iterations) ||
    k.iterations < 100_000 ||
    k.iterations > 10_000_000
  )
    throw new DamagedVaultError('unknown key derivation')
  return v as SealedVault
}

/** Opens a sealed vault with a passphrase: its contents and the key to seal it again. */
export async function openVault(
  sealed: SealedVault,
  passphrase: string,
): Promise<{ contents: unknown; vaultKey: VaultKey }> {
  const checked = asSealedVault(sealed)
  const salt = bytesOf(checked.kdf.salt, 'salt')
  const iv = bytesOf(checked.iv, 'iv')
  const ciphertext = bytesOf(checked.ciphertext, 'ciphertext')
  const key = await deriveVaultKey(passphrase, salt, checked.kdf.iterations)
  let plain: ArrayBuffer
  try {
    plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: iv as BufferSource, additionalData: AAD },
      key,
      ciphertext as BufferSource,
    )
  } catch {
    throw new WrongPassphraseError()
  }
  try {
    return {
      contents: JSON.parse(new TextDecoder().decode(plain)),
      vaultKey: { key, salt, iterations: checked.kdf.iterations },
    }
  } catch {
    throw new DamagedVaultError('the contents are not JSON')
  }
}
