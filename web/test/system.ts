/**
 * The whole system for browser tests: the real agent (embedded chain, fresh data folder), the built
 * web server, and Debian's Chromium — plus what every page test wants: hydrated pages, screenshots
 * at phone and desktop size, an axe-core audit, and the console errors (CSP violations among them).
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium } from './chromium'
import {
  freePort,
  type RunningProcess,
  runProcess,
  startProcess,
  stopProcess,
  waitForHttp,
} from './processes'

export const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const repoDir = resolve(webDir, '..')

/** Where screenshots of every screen go (the README names it); CLAVIS_TEST_SCREENSHOTS overrides. */
export const SCREENSHOT_DIR = process.env.CLAVIS_TEST_SCREENSHOTS ?? join(webDir, 'test-results/screens')

export const PHONE = { width: 390, height: 844 }
export const DESKTOP = { width: 1280, height: 900 }

/** Environment for children without the caller's CLAVIS_* settings (they would change what starts). */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('CLAVIS_')))
  return { ...env, ...extra }
}

export interface Organisation {
  id: string
  name: string
  kind: 'board' | 'hospital'
  did: string
}

export interface RunningSystem {
  agentUrl: string
  webUrl: string
  dataDir: string
  board: Organisation & { token: string }
  hospital: Organisation & { token: string }
  browser: Browser
  /** A fresh browser context (its own IndexedDB and session storage): one person's browser. */
  person(o?: { phone?: boolean }): Promise<BrowserContext>
  stop(): Promise<void>
}

export async function buildWeb(): Promise<void> {
  await runProcess(
    { name: 'vite build', command: join(webDir, 'node_modules/.bin/vite'), args: ['build'], cwd: webDir },
    180_000,
  )
}

export interface RunningAgent {
  url: string
  dataDir: string
  process: RunningProcess
  organisations: Organisation[]
}

/** The real agent on a fresh data folder (embedded chain), once its demo organisations exist. */
export async function startAgent(): Promise<RunningAgent> {
  const dataDir = await mkdtemp(join(tmpdir(), 'clavis-web-e2e-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const agent = startProcess({
    name: 'agent',
    command: join(repoDir, 'node_modules/.bin/tsx'),
    args: [join(repoDir, 'agent/src/main.ts')],
    cwd: join(repoDir, 'agent'),
    env: cleanEnv({
      CLAVIS_DATA_DIR: dataDir,
      CLAVIS_AGENT_PORT: String(port),
      CLAVIS_AGENT_HOST: '127.0.0.1',
    }),
  })
  await waitForHttp({ url: `${url}/v1/health`, timeoutMs: 120_000, process: agent })
  const { organisations } = (await waitForHttp({
    url: `${url}/v1/organisations`,
    timeoutMs: 30_000,
    accept: (b) => {
      const list = (b as { organisations?: Organisation[] }).organisations ?? []
      return list.some((o) => o.kind === 'board') && list.some((o) => o.kind === 'hospital')
    },
  })) as { organisations: Organisation[] }
  return { url, dataDir, process: agent, organisations }
}

/** The built web server (`build/index.js`) in front of an agent URL. */
export async function startWebServer(agentUrl: string): Promise<{ url: string; process: RunningProcess }> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const web = startProcess({
    name: `web server (agent ${agentUrl})`,
    command: process.execPath,
    args: [join(webDir, 'build/index.js')],
    cwd: webDir,
    env: cleanEnv({ HOST: '127.0.0.1', PORT: String(port), ORIGIN: url, CLAVIS_AGENT_URL: agentUrl }),
  })
  await waitForHttp({ url: `${url}/healthz`, timeoutMs: 30_000, process: web })
  return { url, process: web }
}

/** Starts the agent on a fresh data folder, the built web server in front of it, and Chromium. */
export async function startSystem(): Promise<RunningSystem> {
  const agent = await startAgent()
  const token = async (name: string) => (await readFile(join(agent.dataDir, name), 'utf8')).trim()
  const board = {
    ...agent.organisations.find((o) => o.kind === 'board')!,
    token: await token('demo-board.token'),
  }
  const hospital = {
    ...agent.organisations.find((o) => o.kind === 'hospital')!,
    token: await token('demo-hospital.token'),
  }
  const web = await startWebServer(agent.url)
  const browser = await launchChromium()
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  return {
    agentUrl: agent.url,
    webUrl: web.url,
    dataDir: agent.dataDir,
    board,
    hospital,
    browser,
    person: (o = {}) =>
      browser.newContext({
        viewport: o.phone ? PHONE : DESKTOP,
        baseURL: web.url,
        permissions: ['clipboard-read', 'clipboard-write'],
      }),
    async stop() {
      await browser.close().catch(() => {})
      await Promise.all([web.process, agent.process].map((p) => stopProcess(p)))
      await rm(agent.dataDir, { recursive: true, force: true })
    },
  }
}

/** Console errors and uncaught exceptions of a page (CSP violations are console errors). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(e.message))
  return errors
}

export async function openHydrated(page: Page, path: string): Promise<void> {
  await page.goto(path)
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 20_000 })
}

/** Saves the page at phone and desktop width: `<name>-phone.png`, `<name>-desktop.png`. */
export async function screenshots(page: Page, name: string): Promise<void> {
  const before = page.viewportSize() ?? DESKTOP
  for (const [size, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    await page.setViewportSize(viewport)
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${size}.png`), fullPage: true })
  }
  await page.setViewportSize(before)
}

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: string[]
}

/**
 * Runs axe-core (WCAG 2.1 A and AA rules) in the page. The script goes in through the DevTools
 * protocol, so the page's CSP stays as it is.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(await axeSource)
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (
            c: unknown,
            o: unknown,
          ) => Promise<{
            violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[]
          }>
        }
      }
    ).axe
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    })
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }))
  })
}

/** The violations axe-core calls serious or critical (what the issue asks to be none). */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  return (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')
}
