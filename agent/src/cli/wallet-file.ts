import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto'
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs'
import type { HeldCredential } from '@clavis/holder'
import { CliError } from './errors'

/** scrypt parameters (RFC 7914; N = 2^17, r = 8, p = 1: ≈ 128 MiB, ≈ 0.3 s here). */
const KDF = { N: 2 ** 17, r: 8, p: 1 } as const
const MAXMEM = 256 * 1024 * 1024

/** What a wallet file holds once opened: the holder's key and the credentials it received. */
export interface WalletContents {
  key: { privateKeyHex: string; did: string }
  credentials: HeldCredential[]
}

interface WalletFile {
  format: 'clavis-wallet'
  version: 1
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string }
  cipher: 'aes-256-gcm'
  iv: string
  tag: string
  data: string
}

const b64 = (b: Buffer) => b.toString('base64url')

/**
 * Encrypts the wallet under a key derived from the passphrase (scrypt, a fresh salt) with
 * AES-256-GCM and writes it atomically (temporary file, fsync, rename), mode 0600.
 *
 * @example
 * writeWallet('wallet.clavis', passphrase, { key, credentials: [] })
 */
export function writeWallet(path: string, passphrase: string, contents: WalletContents): void {
  const salt = randomBytes(16)
  const key = scryptSync(passphrase, salt, 32, { ...KDF, maxmem: MAXMEM })
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const data = Buffer.concat([cipher.update(JSON.stringify(contents), 'utf8'), cipher.final()])
  const file: WalletFile = {
    format: 'clavis-wallet',
    version: 1,
    kdf: { name: 'scrypt', ...KDF, salt: b64(salt) },
    cipher: 'aes-256-gcm',
    iv: b64(iv),
    tag: b64(cipher.getAuthTag()),
    data: b64(data),
  }
  const temporary = `${path}.${process.pid}.tmp`
  const fd = openSync(temporary, 'w', 0o600)
  try {
    writeSync(fd, `${JSON.stringify(file)}\n`)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(temporary, path)
}

/**
 * Opens a wallet file: a wrong passphrase (or a changed file) never opens it and says so.
 *
 * @example
 * const { key, credentials } = readWallet('wallet.clavis', passphrase)
 */
export function readWallet(path: string, passphrase: string): WalletContents {
  let file: WalletFile
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as WalletFile
  } catch (e) {
    const missing = (e as { code?: string }).code === 'ENOENT'
    throw CliError.usage(
      missing
        ? `No wallet at ${path}: make one with clavis wallet create --wallet ${path}.`
        : `${path} is not a Clavis wallet file.`,
    )
  }
  if (file?.format !== 'clavis-wallet' || file.version !== 1 || file.kdf?.name !== 'scrypt')
    throw CliError.usage(`${path} is not a Clavis wallet file (version 1).`)
  const { N, r, p } = file.kdf
  if (N > 2 ** 20 || r > 16 || p > 4)
    throw CliError.usage(`${path} asks for key derivation this CLI will not run.`)
  const key = scryptSync(passphrase, Buffer.from(file.kdf.salt, 'base64url'), 32, { N, r, p, maxmem: MAXMEM })
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(file.iv, 'base64url'))
    decipher.setAuthTag(Buffer.from(file.tag, 'base64url'))
    const plain = Buffer.concat([decipher.update(Buffer.from(file.data, 'base64url')), decipher.final()])
    return JSON.parse(plain.toString('utf8')) as WalletContents
  } catch {
    throw new CliError(
      'Wrong passphrase for this wallet (or the file was changed): it stays locked.',
      'unauthorized',
    )
  }
}
