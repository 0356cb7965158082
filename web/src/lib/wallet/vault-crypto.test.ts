import { describe, expect, it } from 'vitest'
import {
  asSealedVault,
  DamagedVaultError,
  KDF_ITERATIONS,
  newVaultKey,
  openVault,
  sealVault,
  WrongPassphraseError,
} from './vault-crypto'

describe('vault encryption', () => {
  it('seals with PBKDF2-SHA-256 at 600,000 iterations and opens with the same passphrase', async () => {
    const vaultKey = await newVaultKey('correct horse battery staple')
    const sealed = await sealVault(vaultKey, { secret: 'private key', n: 1 })
    expect(sealed.kdf).toMatchObject({ name: 'PBKDF2', hash: 'SHA-256', iterations: KDF_ITERATIONS })
    expect(KDF_ITERATIONS).toBeGreaterThanOrEqual(600_000)
    expect(JSON.stringify(sealed)).not.toContain('private key')
    const opened = await openVault(sealed, 'correct horse battery staple')
    expect(opened.contents).toEqual({ secret: 'private key', n: 1 })
    // The key opened with seals again; a fresh IV every time.
    const again = await sealVault(opened.vaultKey, { n: 2 })
    expect(again.iv).not.toBe(sealed.iv)
    expect((await openVault(again, 'correct horse battery staple')).contents).toEqual({ n: 2 })
  }, 30_000)

  it('a wrong passphrase never opens it and says so', async () => {
    const sealed = await sealVault(await newVaultKey('right passphrase'), { a: 1 })
    await expect(openVault(sealed, 'wrong passphrase')).rejects.toBeInstanceOf(WrongPassphraseError)
    await expect(openVault(sealed, 'wrong passphrase')).rejects.toThrow(/does not open this wallet/)
  }, 30_000)

  it('a changed ciphertext fails like a wrong passphrase; a foreign object is refused as damaged', async () => {
    const sealed = await sealVault(await newVaultKey('pass phrase 1'), { a: 1 })
    const bytes = Uint8Array.from(atob(sealed.ciphertext), (c) => c.charCodeAt(0))
    bytes[0]! ^= 1
    const tampered = { ...sealed, ciphertext: btoa(String.fromCharCode(...bytes)) }
    await expect(openVault(tampered, 'pass phrase 1')).rejects.toBeInstanceOf(WrongPassphraseError)
    expect(() => asSealedVault({ format: 'other' })).toThrow(DamagedVaultError)
    expect(() => asSealedVault({ ...sealed, kdf: { ...sealed.kdf, iterations: 10 } })).toThrow(
      /unknown key derivation/,
    )
  }, 30_000)
})
