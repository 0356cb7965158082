import { type Browser, chromium } from 'playwright-core'

/**
 * Debian's Chromium, headless, with the flags this closed network needs (no background networking,
 * no component updates, no sync). `CHROMIUM_PATH` overrides the path.
 *
 * `extraArgs` adds flags (e.g. a fake camera showing a video file).
 *
 * @example
 * const browser = await launchChromium()
 */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  })
}
