#!/usr/bin/env node
// Prints how much JavaScript (gzip) each page of the built web app loads before it first renders
// — SvelteKit's start and app entries, the page's layouts and the page, and every chunk they import
// statically (dynamic imports, such as the QR decoder loaded when a scan starts, are left out) —
// and fails if a wallet page loads more than the budget (issue #10: 250 KB gzip).
//
//   node scripts/bundle-budget.mjs            (after `vite build`; `npm run build` runs it)
//   node scripts/bundle-budget.mjs --json
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'

export const WALLET_BUDGET_BYTES = 250 * 1024

const web = resolve(import.meta.dirname, '..')
const client = join(web, '.svelte-kit/output/client')
const manifest = JSON.parse(readFileSync(join(client, '.vite/manifest.json'), 'utf8'))
const nodesDir = join(web, '.svelte-kit/generated/client-optimized/nodes')

/** Route file (e.g. src/routes/wallet/+page.svelte) of each generated node. */
const nodeRoute = new Map()
for (const name of readdirSync(nodesDir)) {
  const text = readFileSync(join(nodesDir, name), 'utf8')
  const m = /src\/routes\/([^"']*\+(?:page|layout|error)\.svelte)/.exec(text)
  nodeRoute.set(`.svelte-kit/generated/client-optimized/nodes/${name}`, m ? m[1] : undefined)
}
const nodeOf = (routeFile) => [...nodeRoute].find(([, r]) => r === routeFile)?.[0]

const gz = new Map()
const gzipOf = (file) => {
  if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(join(client, file)), { level: 9 }).length)
  return gz.get(file)
}

function closure(keys, { dynamic = false } = {}) {
  const seen = new Set()
  const visit = (key) => {
    const entry = manifest[key]
    if (!entry || seen.has(entry.file)) return
    seen.add(entry.file)
    for (const i of entry.imports ?? []) visit(i)
    // Later loads of the page's own code (not other pages: the app entry can load any of them).
    if (dynamic)
      for (const i of entry.dynamicImports ?? []) if (!i.includes('client-optimized/nodes/')) visit(i)
  }
  for (const k of keys) visit(k)
  return seen
}

const entries = Object.keys(manifest).filter(
  (k) => manifest[k].isEntry && !k.includes('client-optimized/nodes'),
)

/** The layouts a route's page sits in (root first). */
function chainOf(pageFile) {
  const parts = pageFile.split('/').slice(0, -1)
  const files = []
  for (let i = 0; i <= parts.length; i++) {
    const layout = [...parts.slice(0, i), '+layout.svelte'].join('/')
    if (nodeOf(layout)) files.push(layout)
  }
  return [...files, pageFile]
}

const pages = [...nodeRoute.values()].filter((r) => r?.endsWith('+page.svelte')).sort()
const rows = pages.map((page) => {
  const keys = [...entries, ...chainOf(page).map(nodeOf)]
  const files = closure(keys)
  const bytes = [...files].filter((f) => f.endsWith('.js')).reduce((sum, f) => sum + gzipOf(f), 0)
  const route = `/${page.replace(/\/?\+page\.svelte$/, '')}`
  return {
    route,
    gzipBytes: bytes,
    wallet: route.startsWith('/wallet'),
    withinBudget: !route.startsWith('/wallet') || bytes <= WALLET_BUDGET_BYTES,
  }
})

// Everything a wallet user's browser may load across all wallet pages, what they load later
// (the QR decoder, the status checker) included, each chunk counted once.
const walletUnion = closure(
  [...entries, ...pages.filter((p) => p.startsWith('wallet')).flatMap((p) => chainOf(p).map(nodeOf))],
  { dynamic: true },
)
const walletUnionBytes = [...walletUnion]
  .filter((f) => f.endsWith('.js'))
  .reduce((sum, f) => sum + gzipOf(f), 0)
/** For information (the budget is per page load): all of the wallet's code, the QR decoder included. */
const everything = { route: '/wallet/** (all its code)', gzipBytes: walletUnionBytes }

if (process.argv.includes('--json')) {
  process.stdout.write(
    `${JSON.stringify({ budgetBytes: WALLET_BUDGET_BYTES, pages: rows, everything }, null, 2)}\n`,
  )
} else {
  process.stdout.write(
    `JavaScript each page loads before its first render (gzip; wallet budget ${WALLET_BUDGET_BYTES / 1024} KB):\n`,
  )
  for (const r of rows)
    process.stdout.write(
      `  ${r.route.padEnd(30)} ${(r.gzipBytes / 1024).toFixed(1).padStart(7)} KB${r.wallet ? (r.withinBudget ? '  within budget' : '  OVER BUDGET') : ''}\n`,
    )
  process.stdout.write(
    `  ${everything.route.padEnd(30)} ${(everything.gzipBytes / 1024).toFixed(1).padStart(7)} KB  for information: every wallet chunk, lazily loaded ones (QR decoder, status checks) too\n`,
  )
}
if (rows.some((r) => !r.withinBudget)) {
  process.stderr.write(
    'A wallet page loads more JavaScript than its budget: see which chunk grew (npx vite build, then look in .svelte-kit/output/client/_app/immutable).\n',
  )
  process.exit(1)
}
