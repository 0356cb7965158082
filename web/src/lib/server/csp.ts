/**
 * The wallet talks to issuers and verifiers it meets through offers and requests (OpenID4VCI and
 * OpenID4VP), and to the status lists they publish: any https origin. Plain http is allowed only for
 * the agent this web app is configured with (the embedded default runs on loopback without TLS).
 * Scripts stay `'self'` plus SvelteKit's nonce: a wider connect-src lets no code in.
 */
export function widenConnectSrc(csp: string, agentOrigins: readonly string[]): string {
  const extra = ['https:', ...new Set(agentOrigins)].join(' ')
  return csp.replace(/connect-src 'self'/, `connect-src 'self' ${extra}`)
}

/** The origins of the configured agent URLs (`CLAVIS_AGENT_URL`, `CLAVIS_AGENT_PUBLIC_URL`). */
export function agentOrigins(urls: readonly (string | undefined)[]): string[] {
  const out: string[] = []
  for (const url of urls) {
    if (!url) continue
    try {
      const parsed = new URL(url)
      if (parsed.protocol === 'http:' || parsed.protocol === 'https:') out.push(parsed.origin)
    } catch {
      // not a URL: nothing to allow
    }
  }
  return out
}
