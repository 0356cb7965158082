/**
 * The status page end to end: the built web server, the real Clavis agent (embedded chain, fresh
 * data folder) and headless Chromium.
 *
 * CLAVIS_TEST_AGENT_URL=http://… uses an agent that is already running instead of starting one.
 * CHROMIUM_PATH overrides /usr/bin/chromium. Screenshots go to web/test-results/screens
 * (CLAVIS_TEST_SCREENSHOTS overrides).
 */
import { mkdir, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../../test/chromium'
import { freePort, type RunningProcess, stopProcess, waitForHttp } from '../../test/processes'
import {
  buildWeb,
  type Organisation,
  SCREENSHOT_DIR,
  screenshots,
  startAgent,
  startWebServer,
} from '../../test/system'

interface Health {
  chain: { chainId: number; registry: string }
}

const started: RunningProcess[] = []
const tempDirs: string[] = []
const servers: Server[] = []
let browser: Browser | undefined
let agentUrl: string
let health: Health
let organisations: Organisation[]
let webUrl: string

async function startWeb(agent: string): Promise<string> {
  const web = await startWebServer(agent)
  started.push(web.process)
  return web.url
}

interface OpenedPage {
  page: Page
  status: number
  csp: string | undefined
  /** Console errors (CSP violations among them) since the page was opened. */
  consoleErrors: string[]
}

/** Opens a page in a fresh tab and waits until SvelteKit has hydrated it. */
async function openHydrated(url: string): Promise<OpenedPage> {
  if (!browser) throw new Error('browser not started')
  const page = await browser.newPage()
  const consoleErrors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text())
  })
  page.on('pageerror', (e) => consoleErrors.push(e.message))
  const response = await page.goto(url)
  if (!response) throw new Error(`no response for ${url}`)
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 15_000 })
  const csp = (await response.allHeaders())['content-security-policy']
  return { page, status: response.status(), csp, consoleErrors }
}

/** The status screens go with every other screen's pictures (phone and desktop). */
async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  await screenshots(page, `status-${name}`)
}

beforeAll(async () => {
  await buildWeb()
  if (process.env.CLAVIS_TEST_AGENT_URL) {
    agentUrl = process.env.CLAVIS_TEST_AGENT_URL.replace(/\/+$/, '')
  } else {
    const agent = await startAgent()
    started.push(agent.process)
    tempDirs.push(agent.dataDir)
    agentUrl = agent.url
  }
  health = (await waitForHttp({ url: `${agentUrl}/v1/health`, timeoutMs: 10_000 })) as Health
  // The demo organisations are created on first start; wait until both are there.
  const body = (await waitForHttp({
    url: `${agentUrl}/v1/organisations`,
    timeoutMs: 30_000,
    accept: (b) => {
      const list = (b as { organisations?: Organisation[] }).organisations ?? []
      return list.some((o) => o.kind === 'board') && list.some((o) => o.kind === 'hospital')
    },
  })) as { organisations: Organisation[] }
  organisations = body.organisations

  webUrl = await startWeb(agentUrl)
  browser = await launchChromium()
}, 180_000)

afterAll(async () => {
  await browser?.close().catch(() => {})
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  await Promise.all(started.map((p) => stopProcess(p)))
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })))
}, 60_000)

describe('status page', () => {
  it('shows the chain, the database and the demo organisations from the agent', async () => {
    const { page, status, csp, consoleErrors } = await openHydrated(`${webUrl}/`)
    expect(status).toBe(200)
    expect(csp).toBeDefined()
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("script-src 'self' 'nonce-")
    expect(csp).not.toContain('unsafe-inline')

    const system = page.getByRole('region', { name: 'Chain' })
    expect(health.chain.chainId).toBe(31337)
    await expect.poll(() => system.getByRole('definition').first().textContent()).toBe('31337')
    const systemText = (await system.textContent()) ?? ''
    expect(systemText).toContain(health.chain.registry)
    expect(systemText).not.toMatch(/SQLite|PostgreSQL|127\.0\.0\.1/)

    const rows = page.getByRole('region', { name: 'Organisations' }).getByRole('row')
    const board = organisations.find((o) => o.kind === 'board')!
    const hospital = organisations.find((o) => o.kind === 'hospital')!
    for (const [org, kind] of [
      [board, 'Medical board'],
      [hospital, 'Hospital'],
    ] as const) {
      const row = rows.filter({ hasText: org.did })
      expect(await row.count()).toBe(1)
      expect(await row.getByRole('rowheader').textContent()).toBe(org.name)
      expect(await row.getByRole('cell').allTextContents()).toEqual([kind, org.did])
    }

    await screenshot(page, 'status')
    // Nothing blocked by the CSP, no script errors.
    expect(consoleErrors).toEqual([])
    await page.close()
  }, 60_000)

  it('says the agent is unreachable, with what to do, when nothing listens at CLAVIS_AGENT_URL', async () => {
    const url = await startWeb(`http://127.0.0.1:${await freePort()}`)
    const { page, status, consoleErrors } = await openHydrated(`${url}/`)
    expect(status).toBe(200)
    const alert = page.getByRole('alert')
    expect(await alert.count()).toBe(1)
    const text = (await alert.textContent()) ?? ''
    expect(text).toContain('The Clavis agent is unreachable.')
    expect(text).toContain('pnpm start')
    expect(text).toContain('CLAVIS_AGENT_URL')
    expect(consoleErrors).toEqual([])
    await screenshot(page, 'unreachable')
    await page.close()
  }, 60_000)

  it('reports a failing agent and renders its text as text only', async () => {
    const payload = '<img src=x onerror="window.__pwned=1">'
    const fake = createServer((req, res) => {
      res.setHeader('content-type', 'application/json')
      if (req.url === '/v1/health') {
        res.statusCode = 503
        res.end(JSON.stringify({ code: 'chain_unavailable', message: `anvil down ${payload}` }))
        return
      }
      res.end(
        JSON.stringify({
          organisations: [
            {
              id: '1',
              name: payload,
              kind: 'hospital',
              did: 'did:ethr:0x7a69:0x01',
              status: 'active',
              createdAt: '2026-01-01',
            },
          ],
        }),
      )
    })
    servers.push(fake)
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r))
    const url = await startWeb(`http://127.0.0.1:${(fake.address() as AddressInfo).port}`)
    const { page, status, consoleErrors } = await openHydrated(`${url}/`)
    expect(status).toBe(200)
    const alert = page.getByRole('alert')
    expect(await alert.textContent()).toContain(`HTTP 503 (chain_unavailable: anvil down ${payload})`)
    expect(await page.getByRole('rowheader').textContent()).toBe(payload)
    expect(await page.locator('img').count()).toBe(0)
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined()
    expect(consoleErrors).toEqual([])
    await screenshot(page, 'failing-agent')
    await page.close()
  }, 60_000)
})
