import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { ClavisError } from '@clavis/errors'

/** The key file is unusable (bad permissions or contents). */
export class SecretKeyError extends ClavisError<'invalid_secret_key'> {
  override readonly name = 'SecretKeyError'

  constructor(message: string, options: { cause?: unknown } = {}) {
    super({ code: 'invalid_secret_key', message, cause: options.cause })
  }
}

/**
 * Returns the 32-byte key (hex) that encrypts private keys at rest: `fromEnv` when given, else the
 * key file at `path`, generated with mode 0600 on first use. Refuses a key file others can read.
 *
 * @example
 * const secret = loadOrCreateSecretKey({ path: '.clavis/secret.key', fromEnv: process.env.CLAVIS_SECRET_KEY })
 */
export function loadOrCreateSecretKey(options: { path: string; fromEnv?: string | undefined }): {
  keyHex: string
  source: 'env' | 'file' | 'generated'
} {
  if (options.fromEnv) return { keyHex: options.fromEnv.toLowerCase(), source: 'env' }
  const { path } = options
  if (existsSync(path)) {
    const mode = statSync(path).mode & 0o777
    if (mode & 0o077) {
      throw new SecretKeyError(
        `The key file ${path} can be read by other users (mode ${mode.toString(8)}). Run: chmod 600 ${path}`,
      )
    }
    const keyHex = readFileSync(path, 'utf8').trim()
    if (!/^[0-9a-f]{64}$/.test(keyHex)) {
      throw new SecretKeyError(
        `The key file ${path} does not hold 64 hex characters. Restore it from your backup.`,
      )
    }
    return { keyHex, source: 'file' }
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const keyHex = randomBytes(32).toString('hex')
  writeFileSync(path, `${keyHex}\n`, { mode: 0o600, flag: 'wx' })
  chmodSync(path, 0o600)
  return { keyHex, source: 'generated' }
}
