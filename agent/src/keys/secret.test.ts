import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadOrCreateSecretKey, SecretKeyError } from './secret'

const dir = () => mkdtempSync(join(tmpdir(), 'clavis-secret-'))

describe('loadOrCreateSecretKey', () => {
  it('generates a 32-byte key file readable only by its owner, then reads it back', () => {
    const path = join(dir(), 'secret.key')
    const created = loadOrCreateSecretKey({ path })
    expect(created.source).toBe('generated')
    expect(created.keyHex).toMatch(/^[0-9a-f]{64}$/)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(loadOrCreateSecretKey({ path })).toEqual({ keyHex: created.keyHex, source: 'file' })
  })

  it('prefers the key from the environment and writes no file', () => {
    const d = dir()
    const key = 'ab'.repeat(32)
    expect(loadOrCreateSecretKey({ path: join(d, 'secret.key'), fromEnv: key })).toEqual({
      keyHex: key,
      source: 'env',
    })
    expect(() => readFileSync(join(d, 'secret.key'))).toThrow()
  })

  it('refuses a key file others can read, saying how to fix it', () => {
    const path = join(dir(), 'secret.key')
    writeFileSync(path, 'ab'.repeat(32))
    chmodSync(path, 0o644)
    expect(() => loadOrCreateSecretKey({ path })).toThrow(SecretKeyError)
    expect(() => loadOrCreateSecretKey({ path })).toThrow(/chmod 600/)
  })

  it('refuses a corrupt key file', () => {
    const path = join(dir(), 'secret.key')
    writeFileSync(path, 'not hex', { mode: 0o600 })
    expect(() => loadOrCreateSecretKey({ path })).toThrow(/64 hex/)
  })
})
