// The packages the browser wallet uses, bundled for the browser by Vite (no Node polyfills) and run
// in headless Chromium: SD-JWT VC issue → present → verify with key binding and a token status list,
// and a JWT VP of a JWT-VC with bitstring status — including a replay and a revocation.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../../../test/chromium'

const root = join(import.meta.dirname, '..', '..', '..')
let outDir: string
let server: Server | undefined
let browser: Browser | undefined
let bundle = ''

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'clavis-wallet-bundle-'))
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      ssr: false,
      minify: false,
      lib: { entry: join(root, 'test/wallet-entry.ts'), formats: ['es'], fileName: () => 'entry.js' },
    },
  })
  for (const file of await readdir(outDir))
    if (file.endsWith('.js')) bundle += await readFile(join(outDir, file), 'utf8')
  server = createServer(async (req, res) => {
    const name = (req.url ?? '/').split('?')[0]!.slice(1)
    if (name === '')
      return void res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><title>wallet</title>')
    if (!/^[\w.-]+\.js$/.test(name)) return void res.writeHead(404).end()
    try {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(await readFile(join(outDir, name)))
    } catch {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  browser = await launchChromium()
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  if (outDir) await rm(outDir, { recursive: true, force: true })
}, 60_000)

describe('wallet packages in the browser', () => {
  it('bundle without Node built-ins', () => {
    expect(bundle.length).toBeGreaterThan(10_000)
    expect(bundle).not.toMatch(/from\s*["'`]node:|require\(["'`]node:/)
  })

  it('present and verify both formats with status lists in headless Chromium', async () => {
    const page = await browser!.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    const { port } = server!.address() as AddressInfo
    await page.goto(`http://127.0.0.1:${port}/`)
    const result = (await page.evaluate("import('/entry.js').then((m) => m.run())")) as Record<string, any>
    expect(errors).toEqual([])
    expect(result.userAgent).toMatch(/Chrome/)
    expect(result.sdValid).toBe(true)
    expect(Object.keys(result.disclosed).sort()).toEqual(expect.arrayContaining(['birthDate', 'name']))
    expect(result.disclosed.identifier).toBeUndefined()
    expect(result.sdReplay).toMatchObject({ passed: false, code: 'nonce_replayed' })
    expect(result.sdRevoked).toMatchObject({ passed: false, code: 'revoked' })
    expect(result.vpValid).toBe(true)
    expect(Object.values(result.vpChecks).every((c: any) => c.passed)).toBe(true)
    await page.close()
  }, 120_000)
})
