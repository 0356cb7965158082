/**
 * The wallet's encryption at rest, on WebCrypto only. The vault is sealed with a random AES-256-GCM
 * **data key**; the data key is stored wrapped (AES-GCM) under each way in:
 * - the passphrase: PBKDF2-HMAC-SHA-256, 600,000 iterations (OWASP's 2023 figure for that hash),
 *   random 16-byte salt;
 * - a passkey: the WebAuthn PRF extension's output for a random salt, through HKDF-SHA-256.
 * Every save seals the contents again under a fresh 12-byte IV, with the format's name as
 * additional data. A wrong passphrase fails GCM's tag check: it never opens, and
 * {@link WrongPassphraseError} says so. Once opened, the data key is a non-extractable CryptoKey.
 */

export const KDF_ITERATIONS = 600_000
const AAD = new TextEncoder().encode('clavis-wallet-vault-v2')
const WRAP_AAD = new TextEncoder().encode('clavis-wallet-data-key-v2')

export interface PassphraseSlot {
  kind: 'passphrase'
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: string }
  iv: string
  wrapped: string
}

export interface PasskeySlot {
  kind: 'passkey'
  /** The WebAuthn credential id (base64). */
  credentialId: string
  /** The PRF input (base64, 32 bytes). */
  prfSalt: string
  iv: string
  wrapped: string
  createdAt: string
}

export type KeySlot = PassphraseSlot | PasskeySlot

/** What IndexedDB (and a backup file) keeps: nothing in it is readable without a way in. */
export interface SealedVault {
  format: 'clavis-wallet-vault'
  version: 2
  slots: KeySlot[]
  iv: string
  ciphertext: string
}

export class WrongPassphraseError extends Error {
  readonly code = 'wrong_passphrase'
  constructor(message = 'That passphrase does not open this wallet. Check it and try again.') {
    super(message)
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

/** Base64 of any length (in chunks: spreading a large array into one call overflows the stack). */
export function b64(bytes: Uint8Array): string {
  let text = ''
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(text)
}
export const unb64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))

function bytesOf(text: unknown, what: string): Uint8Array {
  if (typeof text !== 'string') throw new DamagedVaultError(`no ${what}`)
  try {
    return unb64(text)
  } catch {
    throw new DamagedVaultError(`${what} is not base64`)
  }
}

/** A key-encryption key from a passphrase; slow on purpose (about half a second). */
async function passphraseKek(passphrase: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
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

/** A key-encryption key from a passkey's PRF output. */
async function passkeyKek(prfOutput: ArrayBuffer | Uint8Array): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', prfOutput as BufferSource, 'HKDF', false, [
    'deriveKey',
  ])
  return crypto.subtle.deriveKey(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: new Uint8Array(32),
      info: new TextEncoder().encode('clavis-wallet-passkey'),
    },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  )
}

async function wrap(kek: CryptoKey, raw: Uint8Array): Promise<{ iv: string; wrapped: string }> {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const wrapped = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: WRAP_AAD }, kek, raw as BufferSource),
  )
  return { iv: b64(iv), wrapped: b64(wrapped) }
}

async function unwrap(
  kek: CryptoKey,
  slot: { iv: string; wrapped: string },
  fail: () => Error,
): Promise<Uint8Array> {
  try {
    return new Uint8Array(
      await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: bytesOf(slot.iv, 'iv') as BufferSource, additionalData: WRAP_AAD },
        kek,
        bytesOf(slot.wrapped, 'wrapped key') as BufferSource,
      ),
    )
  } catch (e) {
    if (e instanceof DamagedVaultError) throw e
    throw fail()
  }
}

const dataKeyOf = (raw: Uint8Array) =>
  crypto.subtle.importKey('raw', raw as BufferSource, { name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
    'decrypt',
  ])

/** An opened vault's data key (non-extractable) and its ways in (to seal it again). */
export interface VaultKey {
  dataKey: CryptoKey
  slots: KeySlot[]
}

async function passphraseSlot(passphrase: string, raw: Uint8Array): Promise<PassphraseSlot> {
  const salt = crypto.getRandomValues(new Uint8Array(16))
  const kek = await passphraseKek(passphrase, salt, KDF_ITERATIONS)
  return {
    kind: 'passphrase',
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: KDF_ITERATIONS, salt: b64(salt) },
    ...(await wrap(kek, raw)),
  }
}

/** A new data key for a new wallet, reachable with the passphrase. */
export async function newVaultKey(passphrase: string): Promise<VaultKey> {
  const raw = crypto.getRandomValues(new Uint8Array(32))
  try {
    return { dataKey: await dataKeyOf(raw), slots: [await passphraseSlot(passphrase, raw)] }
  } finally {
    raw.fill(0)
  }
}

export async function sealVault(vaultKey: VaultKey, contents: unknown): Promise<SealedVault> {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const plain = new TextEncoder().encode(JSON.stringify(contents))
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: AAD }, vaultKey.dataKey, plain),
  )
  return {
    format: 'clavis-wallet-vault',
    version: 2,
    slots: vaultKey.slots,
    iv: b64(iv),
    ciphertext: b64(ciphertext),
  }
}

/** Checks the shape of something claiming to be a sealed vault (from IndexedDB or a backup file). */
export function asSealedVault(value: unknown): SealedVault {
  const v = value as Partial<SealedVault> | null
  if (v?.format !== 'clavis-wallet-vault' || v.version !== 2 || !Array.isArray(v.slots))
    throw new DamagedVaultError('not a Clavis wallet of this version')
  const passphrase = v.slots.find((s) => s?.kind === 'passphrase') as PassphraseSlot | undefined
  const k = passphrase?.kdf
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

/** The passkeys that can open this vault. */
export function passkeySlots(sealed: SealedVault): PasskeySlot[] {
  return sealed.slots.filter((s): s is PasskeySlot => s.kind === 'passkey')
}

async function openWith(
  sealed: SealedVault,
  raw: Uint8Array,
): Promise<{ contents: unknown; vaultKey: VaultKey }> {
  const dataKey = await dataKeyOf(raw)
  raw.fill(0)
  return reopenVault(sealed, dataKey)
}

/**
 * Opens a vault with a data key already held (another tab saved it): throws
 * {@link DamagedVaultError} when the vault is sealed under another key (a backup was imported).
 */
export async function reopenVault(
  sealed: SealedVault,
  dataKey: CryptoKey,
): Promise<{ contents: unknown; vaultKey: VaultKey }> {
  let plain: ArrayBuffer
  try {
    plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: bytesOf(sealed.iv, 'iv') as BufferSource, additionalData: AAD },
      dataKey,
      bytesOf(sealed.ciphertext, 'ciphertext') as BufferSource,
    )
  } catch (e) {
    if (e instanceof DamagedVaultError) throw e
    throw new DamagedVaultError('the contents do not match the key')
  }
  try {
    return {
      contents: JSON.parse(new TextDecoder().decode(plain)),
      vaultKey: { dataKey, slots: sealed.slots },
    }
  } catch {
    throw new DamagedVaultError('the contents are not JSON')
  }
}

async function rawWithPassphrase(sealed: SealedVault, passphrase: string): Promise<Uint8Array> {
  const slot = asSealedVault(sealed).slots.find((s): s is PassphraseSlot => s.kind === 'passphrase')!
  const kek = await passphraseKek(passphrase, bytesOf(slot.kdf.salt, 'salt'), slot.kdf.iterations)
  return unwrap(kek, slot, () => new WrongPassphraseError())
}

/** Opens a sealed vault with its passphrase: the contents and the key to seal it again. */
export async function openVault(
  sealed: SealedVault,
  passphrase: string,
): Promise<{ contents: unknown; vaultKey: VaultKey }> {
  return openWith(sealed, await rawWithPassphrase(sealed, passphrase))
}

/** Opens a sealed vault with a passkey's PRF output for one of its passkey slots. */
export async function openVaultWithPasskey(
  sealed: SealedVault,
  slot: PasskeySlot,
  prfOutput: ArrayBuffer | Uint8Array,
): Promise<{ contents: unknown; vaultKey: VaultKey }> {
  const raw = await unwrap(
    await passkeyKek(prfOutput),
    slot,
    () => new WrongPassphraseError('That passkey does not open this wallet. Unlock with your passphrase.'),
  )
  return openWith(sealed, raw)
}

/** A new way in with a passkey; the passphrase proves the right to add one. */
export async function passkeySlot(o: {
  sealed: SealedVault
  passphrase: string
  credentialId: Uint8Array
  prfSalt: Uint8Array
  prfOutput: ArrayBuffer | Uint8Array
}): Promise<PasskeySlot> {
  const raw = await rawWithPassphrase(o.sealed, o.passphrase)
  try {
    return {
      kind: 'passkey',
      credentialId: b64(o.credentialId),
      prfSalt: b64(o.prfSalt),
      ...(await wrap(await passkeyKek(o.prfOutput), raw)),
      createdAt: new Date().toISOString(),
    }
  } finally {
    raw.fill(0)
  }
}
