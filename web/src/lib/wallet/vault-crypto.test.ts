import { describe, expect, it } from 'vitest'
import {
  asSealedVault,
  DamagedVaultError,
  KDF_ITERATIONS,
  newVaultKey,
  openVault,
  openVaultWithPasskey,
  passkeySlot,
  sealVault,
  WrongPassphraseError,
} from './vault-crypto'

describe('vault encryption', () => {
  it('seals under a data key reachable with the passphrase (PBKDF2-SHA-256, 600,000 iterations)', async () => {
    const vaultKey = await newVaultKey('correct horse battery staple')
    const sealed = await sealVault(vaultKey, { secret: 'private key', n: 1 })
    expect(sealed.slots).toEqual([
      expect.objectContaining({
        kind: 'passphrase',
        kdf: expect.objectContaining({ iterations: KDF_ITERATIONS }),
      }),
    ])
    expect(KDF_ITERATIONS).toBeGreaterThanOrEqual(600_000)
    expect(JSON.stringify(sealed)).not.toContain('private key')
    const opened = await openVault(sealed, 'correct horse battery staple')
    expect(opened.contents).toEqual({ secret: 'private key', n: 1 })
    expect(opened.vaultKey.dataKey.extractable).toBe(false)
    // The key opened with seals again; a fresh IV every time.
    const again = await sealVault(opened.vaultKey, { n: 2 })
    expect(again.iv).not.toBe(sealed.iv)
    expect((await openVault(again, 'correct horse battery staple')).contents).toEqual({ n: 2 })
  }, 30_000)

  it('seals a large vault (a long history, many grants) without overflowing the stack', async () => {
    const vaultKey = await newVaultKey('pass phrase large')
    const big = { history: Array.from({ length: 5000 }, (_, i) => ({ i, text: 'x'.repeat(200) })) }
    const sealed = await sealVault(vaultKey, big)
    expect(sealed.ciphertext.length).toBeGreaterThan(1_000_000)
    expect((await openVault(sealed, 'pass phrase large')).contents).toEqual(big)
  }, 30_000)

  it('a wrong passphrase never opens it and says so', async () => {
    const sealed = await sealVault(await newVaultKey('right passphrase'), { a: 1 })
    await expect(openVault(sealed, 'wrong passphrase')).rejects.toBeInstanceOf(WrongPassphraseError)
    await expect(openVault(sealed, 'wrong passphrase')).rejects.toThrow(/does not open this wallet/)
  }, 30_000)

  it('a passkey slot (PRF output) opens the same vault; another PRF output does not', async () => {
    const vaultKey = await newVaultKey('pass phrase 2')
    const sealed = await sealVault(vaultKey, { a: 2 })
    const prfOutput = crypto.getRandomValues(new Uint8Array(32))
    const slot = await passkeySlot({
      sealed,
      passphrase: 'pass phrase 2',
      credentialId: new Uint8Array([1, 2, 3]),
      prfSalt: crypto.getRandomValues(new Uint8Array(32)),
      prfOutput,
    })
    const withPasskey = await sealVault({ ...vaultKey, slots: [...vaultKey.slots, slot] }, { a: 2 })
    expect((await openVaultWithPasskey(withPasskey, slot, prfOutput)).contents).toEqual({ a: 2 })
    await expect(openVaultWithPasskey(withPasskey, slot, new Uint8Array(32))).rejects.toThrow(
      /passkey does not open/,
    )
    await expect(
      passkeySlot({
        sealed,
        passphrase: 'wrong',
        credentialId: new Uint8Array(1),
        prfSalt: new Uint8Array(32),
        prfOutput,
      }),
    ).rejects.toBeInstanceOf(WrongPassphraseError)
  }, 30_000)

  it('a changed ciphertext is refused as damaged; a foreign object too', async () => {
    const sealed = await sealVault(await newVaultKey('pass phrase 1'), { a: 1 })
    const bytes = Uint8Array.from(atob(sealed.ciphertext), (c) => c.charCodeAt(0))
    bytes[0]! ^= 1
    const tampered = { ...sealed, ciphertext: btoa(String.fromCharCode(...bytes)) }
    await expect(openVault(tampered, 'pass phrase 1')).rejects.toBeInstanceOf(DamagedVaultError)
    expect(() => asSealedVault({ format: 'other' })).toThrow(DamagedVaultError)
    const slots = sealed.slots.map((s) =>
      s.kind === 'passphrase' ? { ...s, kdf: { ...s.kdf, iterations: 10 } } : s,
    )
    expect(() => asSealedVault({ ...sealed, slots })).toThrow(/unknown key derivation/)
  }, 30_000)
})
