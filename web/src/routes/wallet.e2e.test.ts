/**
 * The browser wallet, the board console and the hospital desk end to end: the real agent (embedded
 * chain), the built web app and Debian's Chromium, one browser context per person — board staff,
 * a clinician's wallet, a patient's wallet, the hospital desk. Every screen is saved at phone and
 * desktop size under web/test-results/screens and audited with axe-core.
 */
import { execFileSync } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../../test/chromium'
import { writeQrVideo } from '../../test/qr-video'
import {
  buildWeb,
  openHydrated,
  PHONE,
  type RunningSystem,
  SCREENSHOT_DIR,
  screenshots,
  seriousAxeViolations,
  startSystem,
  watchErrors,
  webDir,
} from '../../test/system'

const PASSPHRASE = 'correct horse battery staple'
let sys: RunningSystem
let boardCtx: BrowserContext
let deskCtx: BrowserContext
let clinicianCtx: BrowserContext
let patientCtx: BrowserContext
let board: Page
let desk: Page
let clinician: Page
let patient: Page
const errors = new Map<Page, string[]>()
const audited: { screen: string; violations: unknown[] }[] = []

/** Screenshots at both sizes and an axe-core audit of the screen as it is now. */
async function record(page: Page, name: string) {
  await screenshots(page, name)
  audited.push({ screen: name, violations: await seriousAxeViolations(page) })
}

async function open(ctx: BrowserContext): Promise<Page> {
  const page = await ctx.newPage()
  errors.set(page, watchErrors(page))
  return page
}

async function signIn(page: Page, path: '/board' | '/desk', token: string) {
  await openHydrated(page, path)
  await record(page, `${path.slice(1)}-sign-in`)
  await page.getByLabel('Staff token').fill(token)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByText('Signed in as staff of').waitFor()
}

/** Opens a console signed in, signing in first if this tab is not yet. */
async function consoleOf(page: Page, path: '/board' | '/desk', token: string) {
  await openHydrated(page, path)
  const signInForm = page.getByLabel('Staff token')
  await Promise.race([signInForm.waitFor(), page.getByText('Signed in as staff of').waitFor()])
  if (await signInForm.isVisible()) {
    await signInForm.fill(token)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByText('Signed in as staff of').waitFor()
  }
}

async function createWallet(page: Page) {
  await openHydrated(page, '/wallet')
  await page.getByRole('heading', { name: 'Create your wallet' }).waitFor()
  await page.getByLabel('Passphrase (at least').fill(PASSPHRASE)
  await page.getByLabel('The same passphrase again').fill(PASSPHRASE)
  await page.getByRole('button', { name: 'Create wallet' }).click()
  await page.getByRole('heading', { name: 'Your credentials' }).waitFor({ timeout: 30_000 })
}

/** The offer shown in a console: its link (from the QR code's text) and its transaction code. */
async function shownOffer(page: Page) {
  const offer = page.getByTestId('offer')
  await offer.waitFor()
  return {
    uri: (await offer.locator('svg[data-qr]').getAttribute('data-qr'))!,
    txCode: (await page.getByTestId('tx-code').textContent())!.trim(),
  }
}

/**
 * Moves between the wallet's pages as a person does, by its tabs: a full page load locks the
 * wallet (the vault key lives in the page's memory only).
 */
async function walletTab(
  page: Page,
  name:
    | 'Credentials'
    | 'Receive'
    | 'Present'
    | 'Access grants'
    | 'Records'
    | 'Who saw my records'
    | 'History'
    | 'Settings',
) {
  await page.getByRole('navigation', { name: 'Wallet' }).getByRole('link', { name, exact: true }).click()
}

async function receive(page: Page, uri: string, txCode: string) {
  await walletTab(page, 'Receive')
  await page.getByLabel('Offer link').fill(uri)
  await page.getByRole('button', { name: 'Look at the offer' }).click()
  await page.getByLabel('Transaction code').fill(txCode)
  await page.getByRole('button', { name: 'Accept and receive' }).click()
}

async function issueLicence(o: { given: string; family: string; number: string }) {
  await board.getByLabel('Given names').fill(o.given)
  await board.getByLabel('Family name').fill(o.family)
  await board.getByLabel('Licence number').fill(o.number)
  await board.getByRole('button', { name: 'Make the offer' }).click()
  return shownOffer(board)
}

/** Shows a check-in request at the desk; returns its openid4vp:// link. */
const ASK_LABELS = {
  identity: 'A patient’s identity',
  licence: 'A clinician’s licence',
  grant: 'A patient’s access grant',
} as const

async function askAtDesk(o: {
  type: keyof typeof ASK_LABELS
  asks?: Record<string, 'required' | 'optional' | 'no'>
}) {
  await desk.getByLabel(ASK_LABELS[o.type]).check()
  for (const [claim, ask] of Object.entries(o.asks ?? {}))
    await desk.locator(`#ask-${claim}`).selectOption(ask)
  const shown = desk.getByTestId('vp-request').locator('svg[data-qr]')
  const before = (await shown.count()) > 0 ? await shown.getAttribute('data-qr') : null
  await desk.getByRole('button', { name: 'Show the request' }).click()
  await expect.poll(() => shown.getAttribute('data-qr'), { timeout: 15_000 }).not.toBe(before)
  return (await shown.getAttribute('data-qr'))!
}

let presentPageRecorded = false

async function lookAtRequest(page: Page, uri: string) {
  await walletTab(page, 'Present')
  if (!presentPageRecorded) {
    presentPageRecorded = true
    await record(page, 'wallet-present')
  }
  await page.getByLabel('Request link').fill(uri)
  await page.getByRole('button', { name: 'Look at the request' }).click()
  await page.getByTestId('consent').waitFor()
}

/** Shares from the consent screen; returns the body the wallet posted to the verifier. */
async function share(page: Page): Promise<URLSearchParams> {
  const [posted] = await Promise.all([
    page.waitForRequest((r) => r.method() === 'POST' && /\/verifiers\/.+\/response$/.test(r.url())),
    page.getByRole('button', { name: 'Share', exact: true }).click(),
  ])
  return new URLSearchParams(posted.postData() ?? '')
}

/** The claim names an SD-JWT presentation discloses (decoded from its disclosures). */
function disclosedNames(presentation: string): string[] {
  const [, ...rest] = presentation.split('~')
  return rest
    .slice(0, -1)
    .filter(Boolean)
    .map((d) => JSON.parse(Buffer.from(d, 'base64url').toString('utf8'))[1] as string)
}

async function deskOffersIdentity(mrn: string) {
  await openHydrated(desk, '/desk')
  await desk.getByLabel('Given names').fill('Lucía')
  await desk.getByLabel('Family name').fill('García')
  await desk.getByLabel('Date of birth', { exact: true }).fill('1984-02-29')
  await desk.getByLabel('Medical record number').fill(mrn)
  await desk.getByRole('button', { name: 'Make the offer' }).click()
}

async function patientDid(): Promise<string> {
  await walletTab(patient, 'Access grants')
  return ((await patient.getByTestId('my-did').textContent()) ?? '').trim()
}

async function deskResult() {
  const result = desk.getByTestId('checkin-result')
  await result.waitFor({ timeout: 30_000 })
  return { valid: await result.getAttribute('data-valid'), text: (await result.textContent()) ?? '' }
}

beforeAll(async () => {
  await buildWeb()
  sys = await startSystem()
  boardCtx = await sys.person()
  deskCtx = await sys.person()
  clinicianCtx = await sys.person({ phone: true })
  patientCtx = await sys.person({ phone: true })
  board = await open(boardCtx)
  desk = await open(deskCtx)
  clinician = await open(clinicianCtx)
  patient = await open(patientCtx)
}, 300_000)

afterAll(async () => {
  await sys?.stop()
}, 60_000)

describe('browser: board, clinician, patient, hospital desk', () => {
  it('the board issues a licence by offer; the clinician’s wallet receives it by link and code', async () => {
    await signIn(board, '/board', sys.board.token)
    await record(board, 'board-console')
    const offer = await issueLicence({ given: 'Ada', family: 'Okafor', number: 'A-123456' })
    expect(offer.uri).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/)
    expect(offer.txCode).toMatch(/^\d{6}$/)
    await record(board, 'board-offer')

    await createWallet(clinician)
    await record(clinician, 'wallet-empty')
    await receive(clinician, offer.uri, offer.txCode)
    await clinician.getByText('Received and checked').waitFor({ timeout: 30_000 })
    await record(clinician, 'wallet-received')
    // The board sees the offer used, without reloading.
    await board.locator('[data-testid="offer-state"][data-state="issued"]').waitFor({ timeout: 15_000 })

    await walletTab(clinician, 'Credentials')
    const cards = clinician.getByRole('listitem').filter({ hasText: 'Clinician licence' })
    await expect.poll(() => cards.count()).toBe(2) // both formats were offered and kept
    await expect.poll(() => cards.first().textContent(), { timeout: 20_000 }).toContain('Valid · checked')
    expect(await cards.first().textContent()).toContain('Demo Medical Board (verified)')
    await record(clinician, 'wallet-cards')

    await cards.first().getByRole('link').click()
    await clinician.getByRole('heading', { name: 'What it says' }).waitFor()
    const claims = (await clinician.getByTestId('claims').textContent()) ?? ''
    expect(claims).toContain('Ada Okafor')
    expect(claims).toContain('Cardiology (SNOMED CT 394579002)')
    await record(clinician, 'wallet-credential')
  }, 120_000)

  it('the desk registers a patient; the patient’s wallet receives the identity credential', async () => {
    await signIn(desk, '/desk', sys.hospital.token)
    await record(desk, 'desk')
    await desk.getByLabel('Given names').fill('Lucía')
    await desk.getByLabel('Family name').fill('García')
    await desk.getByLabel('Date of birth', { exact: true }).fill('1984-02-29')
    await desk.getByLabel('Medical record number').fill('MRN-0042')
    await desk.getByRole('button', { name: 'Make the offer' }).click()
    const offer = await shownOffer(desk)

    await createWallet(patient)
    // The desk's "Open in this browser's wallet" link: the offer travels in the fragment; the
    // wallet asks to be unlocked (a new page), then looks the offer up by itself.
    const sameDevice = await desk
      .getByRole('link', { name: 'Open in this browser’s wallet' })
      .getAttribute('href')
    expect(sameDevice).toBe(`/wallet/receive#offer=${encodeURIComponent(offer.uri)}`)
    await patient.goto(sameDevice!)
    await patient.getByLabel('Passphrase').fill(PASSPHRASE)
    await patient.getByRole('button', { name: 'Unlock' }).click()
    await patient.getByLabel('Transaction code').fill(offer.txCode)
    expect(new URL(patient.url()).hash).toBe('')
    await patient.getByRole('button', { name: 'Accept and receive' }).click()
    await patient.getByText('Received and checked').waitFor({ timeout: 30_000 })
    await walletTab(patient, 'Credentials')
    await expect
      .poll(() => patient.getByRole('listitem').filter({ hasText: 'Patient identity' }).count())
      .toBe(2)
  }, 120_000)

  it('check-in with selective disclosure: what the patient leaves out never reaches the agent', async () => {
    const uri = await askAtDesk({
      type: 'identity',
      asks: { name: 'required', birthDate: 'optional', identifier: 'optional' },
    })
    await record(desk, 'desk-request')
    await lookAtRequest(patient, uri)
    const consent = patient.getByTestId('consent')
    expect(await consent.textContent()).toContain('Demo General Hospital asks you to share')
    await patient.getByRole('checkbox', { name: /Date of birth/ }).uncheck()
    await record(patient, 'wallet-consent')
    const body = await share(patient)
    await patient.getByText('The verifier accepted it').waitFor()

    const vpToken = JSON.parse(body.get('vp_token') ?? '{}') as Record<string, string[]>
    const presentation = vpToken.identity?.[0] ?? ''
    expect(presentation.split('~').length).toBeGreaterThan(2)
    const sent = disclosedNames(presentation)
    expect(sent).toEqual(expect.arrayContaining(['name', 'identifier']))
    expect(sent).not.toContain('birthDate')
    expect(body.toString()).not.toContain('1984-02-29')

    const result = await deskResult()
    expect(result.valid).toBe('true')
    expect(result.text).toContain('Lucía García')
    expect(result.text).not.toContain('Date of birth')
    await record(desk, 'desk-result')

    await walletTab(patient, 'History')
    const history = (await patient.getByRole('table').textContent()) ?? ''
    expect(history).toContain('Demo General Hospital')
    expect(history).toContain('Name')
    expect(history).not.toContain('Date of birth')
    await record(patient, 'wallet-history')
  }, 120_000)

  it('a replayed request and a replayed offer are refused', async () => {
    const uri = await askAtDesk({ type: 'licence' })
    await lookAtRequest(clinician, uri)
    await share(clinician)
    await clinician.getByText('The verifier accepted it').waitFor()
    expect((await deskResult()).valid).toBe('true')
    // The same request again: the verifier has its answer and refuses another.
    await walletTab(clinician, 'Present')
    const look = clinician.getByRole('button', { name: 'Look at the request' })
    await expect.poll(() => look.isEnabled(), { timeout: 15_000 }).toBe(true)
    await clinician.getByLabel('Request link').fill(uri)
    await look.click()
    const refusal = clinician.getByRole('alert')
    const consent = clinician.getByTestId('consent')
    await expect
      .poll(async () => (await refusal.count()) + (await consent.count()), { timeout: 30_000 })
      .toBeGreaterThan(0)
    if ((await consent.count()) > 0) {
      await clinician.getByRole('button', { name: 'Share', exact: true }).click()
    }
    await expect
      .poll(() => refusal.first().textContent(), { timeout: 15_000 })
      .toMatch(/refused|does not verify|expired|used/i)
    await record(clinician, 'wallet-request-refused')

    // The licence offer from the first test, redeemed already, again.
    const offer = await issueLicence({ given: 'Ada', family: 'Okafor', number: 'A-123457' })
    await receive(clinician, offer.uri, offer.txCode)
    await clinician.getByText('Received and checked').waitFor({ timeout: 30_000 })
    await walletTab(clinician, 'Receive')
    await clinician.getByLabel('Offer link').fill(offer.uri)
    await clinician.getByRole('button', { name: 'Look at the offer' }).click()
    const alert = clinician.getByRole('alert')
    const txCode = clinician.getByLabel('Transaction code')
    await expect
      .poll(async () => (await alert.count()) + (await txCode.count()), { timeout: 15_000 })
      .toBeGreaterThan(0)
    if ((await txCode.count()) > 0) {
      await txCode.fill(offer.txCode)
      await clinician.getByRole('button', { name: 'Accept and receive' }).click()
    }
    await expect
      .poll(() => alert.first().textContent(), { timeout: 15_000 })
      .toMatch(/refused|no longer|not found|expired/i)
    expect(await clinician.getByText('Received and checked').count()).toBe(0)
    await record(clinician, 'wallet-offer-refused')
  }, 120_000)

  it('a licence revoked in the board console is refused at the next check', async () => {
    await openHydrated(board, '/board')
    const row = board.getByRole('row').filter({ hasText: 'A-123456' }).first()
    await row.getByRole('button', { name: 'Revoke' }).click()
    await record(board, 'board-confirm-revoke')
    await row.getByRole('button', { name: 'Yes, revoke' }).click()
    await board.getByText('the licence is revoked').waitFor({ timeout: 30_000 })

    const uri = await askAtDesk({ type: 'licence' })
    await lookAtRequest(clinician, uri)
    // Two licences answer; choose the revoked one (A-123456, received first).
    await share(clinician).catch(() => {})
    const result = await deskResult()
    expect(result.valid).toBe('false')
    expect(result.text).toMatch(/revoked/i)
    await record(desk, 'desk-result-revoked')
  }, 120_000)

  it('a patient grants a clinician access and revokes it; the revocation is seen by the next verification', async () => {
    await walletTab(clinician, 'Access grants')
    const clinicianDid = ((await clinician.getByTestId('my-did').textContent()) ?? '').trim()
    expect(clinicianDid).toMatch(/^did:ethr:0x7a69:0x0[23][0-9a-f]{64}$/)

    await walletTab(patient, 'Access grants')
    await patient.getByLabel('Clinician’s DID').fill(clinicianDid)
    await patient.getByLabel('At which hospital').selectOption({ label: 'Demo General Hospital' })
    await patient.getByRole('checkbox', { name: 'AllergyIntolerance' }).check()
    await patient.getByRole('button', { name: 'Sign the grant' }).click()
    const issued = patient.getByTestId('grant-issued')
    await issued.waitFor({ timeout: 30_000 })
    const grant = (await issued.locator('svg[data-qr]').getAttribute('data-qr'))!
    expect(grant).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+~/) // an SD-JWT VC (grant claims are always disclosed)
    await record(patient, 'wallet-grant-issued')

    await clinician.getByLabel('Access grant (the text').fill(grant)
    await clinician.getByRole('button', { name: 'Add the grant' }).click()
    await clinician.getByText('Grant checked and added').waitFor({ timeout: 20_000 })
    await record(clinician, 'wallet-grants-held')

    // The hospital accepts grants issued by this patient.
    const did = await patientDid()
    await openHydrated(desk, '/desk')
    await desk.getByLabel('Issuer DID').fill(did)
    await desk.getByRole('checkbox', { name: 'Clinician licence' }).uncheck()
    await desk.getByRole('checkbox', { name: 'Access grant' }).check()
    await desk.getByRole('button', { name: 'Trust this issuer' }).click()
    await desk.getByRole('cell', { name: 'Access grant' }).waitFor()

    const ask = async () => {
      const uri = await askAtDesk({ type: 'grant' })
      await lookAtRequest(clinician, uri)
      await share(clinician).catch(() => {})
      return deskResult()
    }
    const before = await ask()
    expect(before.valid).toBe('true')
    expect(before.text).toContain('Observation (read, search)')

    // A backup taken while the grant is still active, to restore after the revocation.
    await walletTab(patient, 'Settings')
    const [download] = await Promise.all([
      patient.waitForEvent('download'),
      patient.getByRole('button', { name: 'Download an encrypted backup' }).click(),
    ])
    const olderBackup = await readFile((await download.path())!)

    await walletTab(patient, 'Access grants')
    const row = patient.getByRole('row').filter({ hasText: clinicianDid })
    await row.getByRole('button', { name: 'Revoke' }).click()
    await row.getByRole('button', { name: 'Yes, revoke' }).click()
    await patient.getByText('Revoked. Hospitals refuse it').waitFor({ timeout: 20_000 })
    await record(patient, 'wallet-grant-revoked')

    const after = await ask()
    expect(after.valid).toBe('false')
    expect(after.text).toMatch(/revoked/i)

    // The older backup knows nothing of the revocation; the next list it publishes (with a new
    // grant) keeps what the agent already serves revoked, so the first grant stays refused.
    await walletTab(patient, 'Settings')
    await patient
      .getByLabel('Backup file')
      .setInputFiles({ name: 'older.json', mimeType: 'application/json', buffer: olderBackup })
    await patient.getByLabel('The backup’s passphrase').fill(PASSPHRASE)
    await patient.getByRole('button', { name: 'Import' }).click()
    await patient.getByText('The backup is restored and unlocked.').waitFor({ timeout: 20_000 })
    await walletTab(patient, 'Access grants')
    await patient.getByLabel('Clinician’s DID').fill(clinicianDid)
    await patient.getByLabel('At which hospital').selectOption({ label: 'Demo General Hospital' })
    await patient.getByRole('button', { name: 'Sign the grant' }).click()
    await patient.getByTestId('grant-issued').waitFor({ timeout: 30_000 })
    const again = await ask()
    expect(again.valid).toBe('false')
    expect(again.text).toMatch(/revoked/i)
  }, 180_000)

  it('a hostile claim value is rendered as inert text everywhere', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1">'
    const offer = await issueLicence({ given: 'Eve', family: hostile, number: 'X-666' })
    await receive(clinician, offer.uri, offer.txCode)
    await clinician.getByText('Received and checked').waitFor({ timeout: 30_000 })
    await walletTab(clinician, 'Credentials')
    const card = clinician.getByRole('listitem').filter({ hasText: hostile }).first()
    await card.getByRole('link').click()
    await clinician.getByRole('heading', { name: 'What it says' }).waitFor()
    expect(await clinician.getByTestId('claims').textContent()).toContain(`Eve ${hostile}`)
    await openHydrated(board, '/board')
    await board.getByRole('row').filter({ hasText: 'X-666' }).first().waitFor()
    for (const page of [clinician, board]) {
      expect(await page.locator('img').count()).toBe(0)
      expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined()
    }
    await record(clinician, 'wallet-hostile-claim')
    await clinician.getByRole('button', { name: 'Delete this credential…' }).click()
    await clinician.getByRole('button', { name: 'Delete it' }).click()
    await clinician.getByRole('heading', { name: 'Your credentials' }).waitFor()
    expect(await clinician.getByRole('listitem').filter({ hasText: 'X-666' }).count()).toBe(0)
  }, 120_000)

  it('a licence offer scanned from a picture of its QR code', async () => {
    const offer = await issueLicence({ given: 'Ada', family: 'Okafor', number: 'A-123458' })
    const picture = await board.getByTestId('offer').locator('svg[data-qr]').screenshot()
    await walletTab(clinician, 'Receive')
    await clinician
      .getByLabel('Scan from a picture')
      .setInputFiles({ name: 'qr.png', mimeType: 'image/png', buffer: picture })
    // The scanned link fills the field and the wallet looks the offer up at once.
    await expect
      .poll(() => clinician.getByLabel('Offer link').inputValue(), { timeout: 15_000 })
      .toBe(offer.uri)
    await clinician.getByLabel('Transaction code').fill(offer.txCode)
    await record(clinician, 'wallet-receive-offer')
    await clinician.getByRole('button', { name: 'Accept and receive' }).click()
    await clinician.getByText('Received and checked').waitFor({ timeout: 30_000 })
    await record(clinician, 'wallet-receive-scanned')
  }, 120_000)

  it('the board console: a bad field is refused by the shared schema; suspend, reinstate; a routine key rotation', async () => {
    await openHydrated(board, '/board')
    await board.getByLabel('Given names').fill('Bad')
    await board.getByLabel('Family name').fill('Number')
    await board.getByLabel('Licence number').fill('no spaces allowed!')
    await board.getByRole('button', { name: 'Make the offer' }).click()
    await board.getByText('Use only letters, digits').waitFor()
    await record(board, 'board-form-error')

    const row = board.getByRole('row').filter({ hasText: 'A-123457' }).first()
    await row.getByRole('button', { name: 'Suspend' }).click()
    await row.getByRole('button', { name: 'Yes, suspend' }).click()
    await board.getByText('the licence is suspended').waitFor({ timeout: 30_000 })
    await expect.poll(() => row.getByText('suspended', { exact: true }).count()).toBe(1)
    await row.getByRole('button', { name: 'Reinstate' }).click()
    await row.getByRole('button', { name: 'Yes, reinstate' }).click()
    await board.getByText('the licence is reinstated').waitFor({ timeout: 30_000 })

    const keysBefore =
      (await board
        .getByRole('heading', { name: 'Keys' })
        .locator('xpath=following-sibling::ul[1]')
        .textContent()) ?? ''
    await board.getByRole('button', { name: 'Rotate…' }).click()
    await record(board, 'board-rotate')
    await board.getByRole('button', { name: 'Yes, rotate' }).click()
    await board.getByText('Rotated (routine)').waitFor({ timeout: 60_000 })
    const keys = board.getByRole('heading', { name: 'Keys' }).locator('xpath=following-sibling::ul[1]')
    await expect.poll(() => keys.textContent(), { timeout: 20_000 }).not.toBe(keysBefore)
    // A licence issued before a routine rotation still verifies.
    const uri = await askAtDesk({ type: 'licence' })
    await lookAtRequest(clinician, uri)
    await clinician.getByLabel('Which one').selectOption({ index: 1 })
    await share(clinician)
    expect((await deskResult()).valid).toBe('true')
  }, 180_000)

  it('a licence offer scanned with the camera', async () => {
    const offer = await issueLicence({ given: 'Ada', family: 'Okafor', number: 'A-123459' })
    const video = join(sys.dataDir, 'offer-qr.y4m')
    await writeQrVideo(offer.uri, video)
    const camera = await launchChromium([
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ])
    try {
      const ctx = await camera.newContext({ baseURL: sys.webUrl, viewport: PHONE, permissions: ['camera'] })
      const page = await ctx.newPage()
      errors.set(page, watchErrors(page))
      await createWallet(page)
      await walletTab(page, 'Receive')
      await page.getByRole('button', { name: 'Scan a QR code' }).click()
      await expect.poll(() => page.getByLabel('Offer link').inputValue(), { timeout: 20_000 }).toBe(offer.uri)
      await page.getByLabel('Transaction code').fill(offer.txCode)
      await page.getByRole('button', { name: 'Accept and receive' }).click()
      await page.getByText('Received and checked').waitFor({ timeout: 30_000 })
    } finally {
      await camera.close()
    }
  }, 120_000)

  it('offline: the installed wallet opens, unlocks and shows credentials without a network', async () => {
    await patient.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
    await patientCtx.setOffline(true)
    try {
      await patient.reload()
      await patient.getByRole('heading', { name: 'Unlock your wallet' }).waitFor({ timeout: 20_000 })
      await patient.getByLabel('Passphrase').fill(PASSPHRASE)
      await patient.getByRole('button', { name: 'Unlock' }).click()
      await walletTab(patient, 'Credentials')
      await patient.getByRole('heading', { name: 'Your credentials' }).waitFor()
      const card = patient.getByRole('listitem').filter({ hasText: 'Patient identity' }).first()
      // The issuer's name comes from the directory the wallet saw last time it was online.
      expect(await card.textContent()).toContain('Demo General Hospital (verified)')
      await card.getByRole('link').click()
      expect(await patient.getByTestId('claims').textContent()).toContain('Lucía García')
      await record(patient, 'wallet-offline')
    } finally {
      await patientCtx.setOffline(false)
    }
  }, 120_000)

  it('backup, reset and import: the wallet comes back whole under its passphrase', async () => {
    await walletTab(patient, 'Credentials')
    const cards = patient.getByRole('list').getByRole('listitem')
    await expect.poll(() => cards.count()).toBeGreaterThan(0)
    const before = await cards.count()
    await walletTab(patient, 'Settings')
    await record(patient, 'wallet-settings')
    const [download] = await Promise.all([
      patient.waitForEvent('download'),
      patient.getByRole('button', { name: 'Download an encrypted backup' }).click(),
    ])
    const backup = await readFile((await download.path())!, 'utf8')
    expect(JSON.parse(backup)).toMatchObject({
      format: 'clavis-wallet-vault',
      slots: [{ kind: 'passphrase', kdf: { name: 'PBKDF2', iterations: 600_000 } }],
    })
    expect(backup).not.toContain('Lucía')

    await patient.getByLabel('Type DELETE to confirm').fill('DELETE')
    await patient.getByRole('button', { name: 'Delete this wallet' }).click()
    await patient.getByRole('heading', { name: 'Create your wallet' }).waitFor()
    await record(patient, 'wallet-create')

    await patient.getByRole('link', { name: 'import now' }).click()
    await patient
      .getByLabel('Backup file')
      .setInputFiles({ name: 'backup.json', mimeType: 'application/json', buffer: Buffer.from(backup) })
    await patient.getByLabel('The backup’s passphrase').fill('a wrong passphrase')
    await patient.getByRole('button', { name: 'Import' }).click()
    await expect
      .poll(() => patient.getByRole('alert').last().textContent())
      .toContain('does not open this wallet')
    await patient.getByLabel('The backup’s passphrase').fill(PASSPHRASE)
    await patient.getByRole('button', { name: 'Import' }).click()
    await patient.getByText('The backup is restored and unlocked.').waitFor({ timeout: 20_000 })
    await walletTab(patient, 'Credentials')
    await expect.poll(() => patient.getByRole('listitem').count()).toBe(before)
  }, 120_000)

  it('a passkey (WebAuthn PRF, virtual authenticator) unlocks the wallet besides the passphrase', async () => {
    // WebAuthn needs a domain name, not an IP address: this person opens the app at localhost.
    const ctx = await sys.browser.newContext({
      baseURL: sys.webUrl.replace('127.0.0.1', 'localhost'),
      viewport: PHONE,
    })
    const page = await ctx.newPage()
    errors.set(page, watchErrors(page))
    const cdp = await ctx.newCDPSession(page)
    await cdp.send('WebAuthn.enable')
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        ctap2Version: 'ctap2_1',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        hasPrf: true,
        automaticPresenceSimulation: true,
      },
    })
    try {
      await createWallet(page)
      await walletTab(page, 'Settings')
      await page.getByLabel('Your passphrase, to add a passkey').fill('not my passphrase')
      await page.getByRole('button', { name: 'Add a passkey' }).click()
      await expect
        .poll(() => page.getByRole('alert').last().textContent())
        .toContain('does not open this wallet')
      await page.getByLabel('Your passphrase, to add a passkey').fill(PASSPHRASE)
      await page.getByRole('button', { name: 'Add a passkey' }).click()
      await page.getByText('Passkey added').first().waitFor({ timeout: 20_000 })
      await record(page, 'wallet-passkey-added')
      await page.getByRole('button', { name: 'Lock' }).click()
      await page.getByRole('button', { name: 'Unlock with a passkey' }).click()
      await page.getByRole('heading', { name: 'Wallet', exact: true }).waitFor({ timeout: 20_000 })
      expect(await page.getByRole('button', { name: 'Lock' }).count()).toBe(1)
    } finally {
      await ctx.close()
    }
  }, 120_000)

  it('the wallet locks itself after 5 minutes without use', async () => {
    const ctx = await sys.person({ phone: true })
    const page = await ctx.newPage()
    await page.clock.install()
    try {
      await createWallet(page)
      await page.clock.fastForward('04:00')
      expect(await page.getByRole('button', { name: 'Lock' }).count()).toBe(1)
      await page.clock.fastForward('01:05')
      await page.getByText('locked itself after 5 minutes').waitFor()
      await record(page, 'wallet-idle-locked')
    } finally {
      await ctx.close()
    }
  }, 60_000)

  it('two tabs of one wallet: a credential received in one shows in the other, neither writes back an old copy', async () => {
    const other = await patientCtx.newPage()
    try {
      await openHydrated(other, '/wallet')
      await other.getByLabel('Passphrase').fill(PASSPHRASE)
      await other.getByRole('button', { name: 'Unlock' }).click()
      await other.getByRole('heading', { name: 'Your credentials' }).waitFor()
      const cards = other.getByRole('list').getByRole('listitem')
      await expect.poll(() => cards.count()).toBeGreaterThan(0)
      const before = await cards.count()

      await deskOffersIdentity('MRN-0043')
      const offer = await shownOffer(desk)
      await receive(patient, offer.uri, offer.txCode)
      await patient.getByText('Received and checked').waitFor({ timeout: 30_000 })
      // The other tab sees both new credentials without a reload, and its own status check
      // (which saves) keeps them.
      await expect.poll(() => cards.count(), { timeout: 15_000 }).toBe(before + 2)
      await other.getByRole('button', { name: 'Check status now' }).click()
      await walletTab(patient, 'Credentials')
      await expect.poll(() => patient.getByRole('list').getByRole('listitem').count()).toBe(before + 2)
    } finally {
      await other.close()
    }
  }, 90_000)

  it('a wrong passphrase never unlocks, and says so; a reload locks the wallet', async () => {
    await openHydrated(patient, '/wallet')
    await patient.getByRole('heading', { name: 'Unlock your wallet' }).waitFor()
    await patient.getByLabel('Passphrase').fill('not the passphrase')
    await patient.getByRole('button', { name: 'Unlock' }).click()
    await expect
      .poll(() => patient.getByRole('alert').textContent(), { timeout: 15_000 })
      .toContain('does not open this wallet')
    await record(patient, 'wallet-wrong-passphrase')
    await patient.getByLabel('Passphrase').fill(PASSPHRASE)
    await patient.getByRole('button', { name: 'Unlock' }).click()
    await patient.getByRole('heading', { name: 'Your credentials' }).waitFor()
    await patient.getByRole('button', { name: 'Lock' }).click()
    await patient.getByRole('heading', { name: 'Unlock your wallet' }).waitFor()
  }, 60_000)

  it('the whole story: licence, registration, check-in, a grant sent to the clinician’s wallet, records read in scope and refused out of it, revocation, an emergency, and the patient’s access report', async () => {
    // Fresh people: a doctor and a patient, each with a new wallet.
    const doctorCtx = await sys.person({ phone: true })
    const patientStoryCtx = await sys.person({ phone: true })
    const doctor = await open(doctorCtx)
    const pat = await open(patientStoryCtx)
    await createWallet(doctor)
    await createWallet(pat)

    // The board issues a licence; the doctor's wallet receives it.
    await consoleOf(board, '/board', sys.board.token)
    const licence = await issueLicence({ given: 'Grace', family: 'Hopper', number: 'B-777001' })
    await receive(doctor, licence.uri, licence.txCode)
    await doctor.getByText('Received and checked').waitFor({ timeout: 30_000 })

    // The hospital registers the patient (with synthetic records); the patient's wallet takes the identity credential.
    await consoleOf(desk, '/desk', sys.hospital.token)
    await deskOffersIdentity('MRN-STORY-1')
    await desk.getByTestId('registered-patient').waitFor({ timeout: 30_000 })
    await record(desk, 'desk-patient-registered')
    const identity = await shownOffer(desk)
    await receive(pat, identity.uri, identity.txCode)
    await pat.getByText('Received and checked').waitFor({ timeout: 30_000 })

    // Check-in at the desk.
    const checkin = await askAtDesk({ type: 'identity' })
    await lookAtRequest(pat, checkin)
    await share(pat)
    expect((await deskResult()).valid).toBe('true')

    // The patient grants the doctor Observations and Conditions, and sends it to the doctor's wallet.
    // The doctor's wallet opens its inbox at the hospitals (publishes its signed inbox key).
    await walletTab(doctor, 'Access grants')
    await doctor.getByRole('button', { name: 'Check for grants sent to me' }).click()
    await expect
      .poll(() => doctor.getByTestId('grants-collected').textContent(), { timeout: 20_000 })
      .toMatch(/^0 grants received/)
    const doctorDid = ((await doctor.getByTestId('my-did').textContent()) ?? '').trim()
    await walletTab(pat, 'Access grants')
    const patDid = ((await pat.getByTestId('my-did').textContent()) ?? '').trim()
    await pat.getByLabel('Clinician’s DID').fill(doctorDid)
    await pat.getByLabel('At which hospital').selectOption({ label: 'Demo General Hospital' })
    await pat.getByRole('button', { name: 'Sign the grant' }).click()
    await pat.getByTestId('grant-issued').waitFor({ timeout: 30_000 })
    await pat.getByRole('button', { name: 'Send to their wallet' }).click()
    await expect
      .poll(() => pat.getByTestId('grant-delivery').textContent(), { timeout: 20_000 })
      .toMatch(/^Sent\./)
    await record(pat, 'wallet-grant-sent')

    // The doctor's wallet takes it from the inbox (no copy and paste).
    await doctor.getByRole('button', { name: 'Check for grants sent to me' }).click()
    await expect
      .poll(() => doctor.getByTestId('grants-collected').textContent(), { timeout: 20_000 })
      .toMatch(/^1 grant received/)

    // Records in scope, readable; a type outside the grant is refused by the hospital.
    await walletTab(doctor, 'Records')
    await doctor.getByRole('button', { name: 'Open these records' }).click()
    const records = doctor.getByTestId('records')
    await records.waitFor({ timeout: 30_000 })
    const observations = records.locator('ul.records[data-type="Observation"] li')
    await expect.poll(() => observations.count(), { timeout: 20_000 }).toBeGreaterThan(0)
    // Codings are shown by their display names, not codes.
    expect(await observations.first().locator('strong').textContent()).toMatch(/[a-z]{3,}/i)
    expect(await records.locator('ul.records[data-type="Condition"] li').count()).toBeGreaterThan(0)
    await record(doctor, 'wallet-records')
    await doctor.getByRole('button', { name: 'Ask for Allergies and intolerances' }).click()
    await expect
      .poll(() => records.getByRole('alert').last().textContent(), { timeout: 15_000 })
      .toMatch(/do not allow search of AllergyIntolerance/)

    // The patient revokes the grant: the doctor is refused, and told why.
    await walletTab(pat, 'Access grants')
    const row = pat.getByRole('row').filter({ hasText: doctorDid })
    await row.getByRole('button', { name: 'Revoke' }).click()
    await row.getByRole('button', { name: 'Yes, revoke' }).click()
    await pat.getByText('Revoked. Hospitals refuse it').waitFor({ timeout: 20_000 })
    await doctor.getByRole('button', { name: 'Open these records' }).click()
    const refused = doctor.getByTestId('access-refused')
    await refused.waitFor({ timeout: 30_000 })
    expect(await refused.textContent()).toMatch(/revoked/i)
    await record(doctor, 'wallet-records-refused')

    // An emergency: the doctor breaks the glass with a reason.
    await doctor.getByLabel('Patient’s DID').fill(patDid)
    await doctor
      .getByLabel('Why this is an emergency')
      .fill('Unconscious after a fall; medication list needed')
    await doctor.getByRole('button', { name: 'Declare an emergency and open the records' }).click()
    await records.waitFor({ timeout: 30_000 })
    await records.getByText('Emergency access: recorded').waitFor()
    await expect
      .poll(() => records.locator('ul.records[data-type="MedicationStatement"] li').count(), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0)

    // The patient sees it all, the emergency first.
    await walletTab(pat, 'Who saw my records')
    await pat.getByRole('button', { name: 'Show the report' }).click()
    const emergencies = pat.getByTestId('emergency-accesses')
    await emergencies.waitFor({ timeout: 30_000 })
    expect(await emergencies.textContent()).toContain('Unconscious after a fall; medication list needed')
    const report = pat.getByTestId('access-report')
    expect(await report.locator('tr[data-kind="record.read"]').count()).toBeGreaterThan(0)
    expect(await report.textContent()).toMatch(/Access refused \(grant revoked\)/)
    await record(pat, 'wallet-access-report')

    // And the hospital's staff see the emergency prominently.
    await consoleOf(desk, '/desk', sys.hospital.token)
    const alerts = desk.getByTestId('break-glass-alerts')
    await alerts.waitFor({ timeout: 30_000 })
    expect(await alerts.textContent()).toContain('Unconscious after a fall; medication list needed')
    await record(desk, 'desk-break-glass')
    await doctorCtx.close()
    await patientStoryCtx.close()
  }, 300_000)

  it('budget: wallet pages load ≤ 250 KB of JavaScript (gzip); the first render of the wallet is reported', async () => {
    const budget = JSON.parse(
      execFileSync(process.execPath, [join(webDir, 'scripts/bundle-budget.mjs'), '--json'], {
        cwd: webDir,
        encoding: 'utf8',
      }),
    ) as {
      budgetBytes: number
      pages: { route: string; gzipBytes: number; wallet: boolean }[]
      everything: { gzipBytes: number }
    }
    const wallet = budget.pages.filter((p) => p.wallet)
    expect(wallet.length).toBeGreaterThan(5)
    for (const p of wallet) expect(p.gzipBytes, p.route).toBeLessThanOrEqual(budget.budgetBytes)

    // First render: a fresh browser (empty cache) opening /wallet, until its first screen shows.
    const times: number[] = []
    for (let i = 0; i < 5; i++) {
      const ctx = await sys.person({ phone: true })
      const page = await ctx.newPage()
      await page.goto('/wallet')
      await page.getByRole('heading', { name: 'Create your wallet' }).waitFor()
      times.push(await page.evaluate(() => performance.now()))
      await ctx.close()
    }
    times.sort((a, b) => a - b)
    const report = {
      walletPagesGzipKB: Object.fromEntries(
        wallet.map((p) => [p.route, Math.round(p.gzipBytes / 102.4) / 10]),
      ),
      walletAllCodeGzipKB: Math.round(budget.everything.gzipBytes / 102.4) / 10,
      firstRenderMs: { median: Math.round(times[2]!), runs: times.map(Math.round) },
    }
    await writeFile(join(SCREENSHOT_DIR, '..', 'budget.json'), `${JSON.stringify(report, null, 2)}\n`)
    console.log(`[budget] wallet JS (gzip KB): ${JSON.stringify(report.walletPagesGzipKB)}`)
    console.log(
      `[budget] all the wallet's code, lazily loaded chunks too: ${report.walletAllCodeGzipKB} KB gzip`,
    )
    console.log(
      `[budget] first render of /wallet, fresh browser: median ${report.firstRenderMs.median} ms of ${times.length}`,
    )
  }, 120_000)

  it('every screen: no serious axe-core violation, no CSP violation or script error', () => {
    const serious = audited.filter((a) => a.violations.length > 0)
    expect(serious, JSON.stringify(serious, null, 2)).toEqual([])
    // The refusals the tests provoke show as failed loads (4xx, or offline); anything else — a CSP violation
    // ("Refused to …"), a script error — fails the test.
    for (const [page, list] of errors)
      expect(
        list.filter(
          (e) =>
            !/^Failed to load resource: (the server responded with a status of 4\d\d|net::ERR_INTERNET_DISCONNECTED)/.test(
              e,
            ),
        ),
        page.url(),
      ).toEqual([])
  })
})
