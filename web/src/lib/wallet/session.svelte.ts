/**
 * The wallet as the pages see it: none, locked or unlocked, and the unlocked contents. Only this
 * module holds the vault key (a non-extractable CryptoKey) and the decrypted contents, and only
 * while unlocked; locking (by hand, after idle time, or when the tab is hidden too long) drops
 * both. Every change is sealed and written before the page is told it happened.
 */
import { createSigner, fromHex, toHex } from '@clavis/crypto'
import { createDidEthrKey } from '@clavis/did'
import type { HolderKey } from '@clavis/holder'
import { agentChainId } from '$lib/agent/browser'
import { asContents, newContents, type WalletContents } from './contents'
import { deleteSealedVault, readSealedVault, writeSealedVault } from './idb'
import { createPasskey, usePasskey } from './passkey'
import {
  asSealedVault,
  newVaultKey,
  openVault,
  openVaultWithPasskey,
  type PasskeySlot,
  passkeySlot,
  passkeySlots,
  reopenVault,
  type SealedVault,
  sealVault,
  type VaultKey,
} from './vault-crypto'

/** Runs `work` while holding the wallet's Web Lock (one writer across tabs), where the browser has them. */
function exclusive<T>(work: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks
  return locks ? (locks.request('clavis-wallet-vault', work) as Promise<T>) : work()
}

export const MIN_PASSPHRASE = 10
/** Locks after this long without a key press, click or touch. */
export const IDLE_LOCK_MS = 5 * 60_000

export type WalletState = 'loading' | 'none' | 'locked' | 'unlocked'

class WalletSession {
  state = $state<WalletState>('loading')
  contents = $state<WalletContents | undefined>(undefined)
  /** Why the wallet locked itself, to say so on the unlock screen. */
  lockedBecause = $state<string | undefined>(undefined)
  /** The passkeys that can unlock this wallet (readable while locked: ids and salts only). */
  passkeys = $state<PasskeySlot[]>([])
  #vaultKey: VaultKey | undefined
  #idle: ReturnType<typeof setTimeout> | undefined
  #writing: Promise<unknown> = Promise.resolve()
  /** Bumped by every lock and unlock: work started before one of them must not put secrets back. */
  #epoch = 0
  /** The IV of the vault as this tab last read or wrote it (another IV: another tab wrote). */
  #lastIv: string | undefined
  /** Tells this wallet's other tabs that the vault changed (they lock: their copy is old). */
  #channel: BroadcastChannel | undefined =
    typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel('clavis-wallet')

  constructor() {
    this.#channel?.addEventListener('message', () => {
      if (this.state === 'unlocked') void this.#reload()
    })
  }

  /** Reads whether a wallet exists in this browser (a damaged one shows as locked, with why). */
  async load(): Promise<void> {
    if (this.state === 'unlocked') return
    try {
      const stored = await readSealedVault()
      this.state = stored === undefined ? 'none' : 'locked'
      this.passkeys = stored === undefined ? [] : passkeySlots(asSealedVault(stored))
    } catch (e) {
      this.state = 'locked'
      this.lockedBecause = (e as Error).message
    }
  }

  async create(passphrase: string): Promise<void> {
    if (passphrase.length < MIN_PASSPHRASE)
      throw new Error(`Choose a passphrase of at least ${MIN_PASSPHRASE} characters.`)
    if ((await readSealedVault()) !== undefined)
      throw new Error('A wallet exists in this browser already: unlock it, or reset it first.')
    const chainId = await agentChainId()
    const key = createDidEthrKey({ chainId })
    const contents = newContents({ privateKeyHex: toHex(key.privateKey), did: key.did, chainId })
    const vaultKey = await newVaultKey(passphrase)
    const sealed = await sealVault(vaultKey, contents)
    await writeSealedVault(sealed)
    this.#channel?.postMessage({ saved: true })
    this.#opened(vaultKey, contents, sealed.iv)
  }

  async unlock(passphrase: string): Promise<void> {
    const stored = await readSealedVault()
    if (stored === undefined) {
      this.state = 'none'
      throw new Error('There is no wallet in this browser yet: create one.')
    }
    const sealed = asSealedVault(stored)
    const { contents, vaultKey } = await openVault(sealed, passphrase)
    this.#opened(vaultKey, asContents(contents), sealed.iv)
  }

  /** Unlocks with one of the wallet's passkeys (WebAuthn PRF). */
  async unlockWithPasskey(): Promise<void> {
    const stored = await readSealedVault()
    if (stored === undefined) throw new Error('There is no wallet in this browser yet: create one.')
    const sealed = asSealedVault(stored)
    const { slot, prfOutput } = await usePasskey(passkeySlots(sealed))
    const { contents, vaultKey } = await openVaultWithPasskey(sealed, slot, prfOutput)
    this.#opened(vaultKey, asContents(contents))
  }

  /** Adds a passkey as a second way in; the passphrase proves the right to. */
  async addPasskey(passphrase: string): Promise<void> {
    if (!this.#vaultKey || !this.contents) throw new Error('The wallet is locked: unlock it first.')
    const sealed = await this.backup()
    // Check the passphrase before the browser asks for a passkey.
    await openVault(sealed, passphrase)
    const made = await createPasskey(`Clavis wallet ${this.contents.key.did.slice(-8)}`)
    const slot = await passkeySlot({ sealed, passphrase, ...made })
    await this.update((c) => c, { slots: (slots) => [...slots, slot] })
  }

  /** Stops a passkey from unlocking this wallet. */
  async removePasskey(credentialId: string): Promise<void> {
    await this.update((c) => c, {
      slots: (slots) => slots.filter((s) => s.kind !== 'passkey' || s.credentialId !== credentialId),
    })
  }

  lock(because?: string): void {
    this.#epoch++
    this.#vaultKey = undefined
    this.contents = undefined
    this.lockedBecause = because
    if (this.#idle) clearTimeout(this.#idle)
    if (this.state === 'unlocked') this.state = 'locked'
  }

  /**
   * Applies a change and saves it (sealed) before resolving. Changes run one at a time across every
   * tab of this wallet (a Web Lock), each on the vault as stored — read again when another tab wrote
   * it — so that no change is lost to a stale copy. A lock while a change runs wins: nothing is put
   * back in memory. `slots` changes the ways in (passkeys) in the same write.
   */
  async update(
    change: (c: WalletContents) => WalletContents,
    options: { slots?: (slots: VaultKey['slots']) => VaultKey['slots'] } = {},
  ): Promise<WalletContents> {
    const epoch = this.#epoch
    const run = this.#writing.then(() =>
      exclusive(async () => {
        const locked = () => new Error('The wallet is locked: unlock it first.')
        if (epoch !== this.#epoch || !this.#vaultKey || !this.contents) throw locked()
        const fresh = await this.#readBack(this.#vaultKey)
        if (epoch !== this.#epoch) throw locked()
        const vaultKey = options.slots
          ? { ...fresh.vaultKey, slots: options.slots(fresh.vaultKey.slots) }
          : fresh.vaultKey
        const next = change(fresh.contents)
        const sealed = await sealVault(vaultKey, next)
        await writeSealedVault(sealed)
        this.#lastIv = sealed.iv
        if (epoch === this.#epoch) {
          this.#vaultKey = vaultKey
          this.contents = next
          this.passkeys = passkeySlots(sealed)
        }
        this.#channel?.postMessage({ saved: true })
        return next
      }),
    )
    this.#writing = run.catch(() => {})
    return run
  }

  /** The contents as stored now (re-read only when another tab wrote since), under the key held. */
  async #readBack(vaultKey: VaultKey): Promise<{ contents: WalletContents; vaultKey: VaultKey }> {
    const stored = await readSealedVault()
    if (stored === undefined) throw new Error('The wallet was reset in another tab or window.')
    const sealed = asSealedVault(stored)
    if (sealed.iv === this.#lastIv && this.contents)
      return { contents: $state.snapshot(this.contents) as WalletContents, vaultKey }
    const opened = await reopenVault(sealed, vaultKey.dataKey)
    this.#lastIv = sealed.iv
    return { contents: asContents(opened.contents), vaultKey: opened.vaultKey }
  }

  /** The sealed vault as a backup file's content (encrypted under the same passphrase). */
  async backup(): Promise<SealedVault> {
    await this.#writing
    return asSealedVault(await readSealedVault())
  }

  /** Replaces this browser's wallet by a backup, which must open with the passphrase given. */
  async restore(file: unknown, passphrase: string): Promise<void> {
    const sealed = asSealedVault(file)
    const { contents, vaultKey } = await openVault(sealed, passphrase)
    const checked = asContents(contents)
    await writeSealedVault(sealed)
    this.#channel?.postMessage({ saved: true })
    this.passkeys = passkeySlots(sealed)
    this.#opened(vaultKey, checked)
  }

  /** Deletes the wallet from this browser: keys and credentials are gone unless backed up. */
  async reset(): Promise<void> {
    await this.#writing
    await deleteSealedVault()
    this.#channel?.postMessage({ saved: true })
    this.lock()
    this.passkeys = []
    this.state = 'none'
  }

  /** The holder key for the OpenID4VC libraries; the private key stays in this module's closure. */
  holderKey(): HolderKey {
    const c = this.contents
    if (!c || !this.#vaultKey || this.state !== 'unlocked')
      throw new Error('The wallet is locked: unlock it first.')
    const privateKey = fromHex(c.key.privateKeyHex)!
    const key = createDidEthrKey({ chainId: c.key.chainId, privateKey })
    const sign = createSigner({ alg: 'ES256K', privateKey })
    return { did: key.did, kid: key.kid, alg: 'ES256K', jwk: key.jwk, sign }
  }

  /** Call on user activity: pushes the idle lock back. */
  touch(): void {
    if (this.state !== 'unlocked') return
    if (this.#idle) clearTimeout(this.#idle)
    this.#idle = setTimeout(
      () => this.lock('The wallet locked itself after 5 minutes without use.'),
      IDLE_LOCK_MS,
    )
  }

  /** Another tab saved: read the vault again (in turn with our own writes), or lock if it is not ours any more. */
  #reload(): Promise<unknown> {
    const epoch = this.#epoch
    const run = this.#writing.then(async () => {
      const vaultKey = this.#vaultKey
      if (!vaultKey || epoch !== this.#epoch) return
      try {
        const fresh = await this.#readBack(vaultKey)
        if (epoch !== this.#epoch) return
        this.#vaultKey = fresh.vaultKey
        this.contents = fresh.contents
        this.passkeys = fresh.vaultKey.slots.filter((s): s is PasskeySlot => s.kind === 'passkey')
      } catch {
        this.lock('The wallet was replaced or reset in another tab or window: unlock it again.')
      }
    })
    this.#writing = run.catch(() => {})
    return run
  }

  #opened(vaultKey: VaultKey, contents: WalletContents, iv?: string): void {
    this.#epoch++
    this.#lastIv = iv
    this.#vaultKey = vaultKey
    this.contents = contents
    this.lockedBecause = undefined
    this.state = 'unlocked'
    this.touch()
  }
}

export const wallet = new WalletSession()
