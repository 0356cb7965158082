/** One check of a verification, as the API reports it. */
export interface Check {
  passed: boolean
  code?: string
  reason?: string
}

/** Prints a value as JSON (for --json). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}

/** Prints aligned `label  value` lines; undefined values are left out, null shows as `-`. */
export function printFields(fields: [string, unknown][]): void {
  const shown = fields.filter(([, v]) => v !== undefined)
  const width = Math.max(...shown.map(([k]) => k.length))
  for (const [k, v] of shown) process.stdout.write(`${k.padEnd(width)}  ${v === null ? '-' : String(v)}\n`)
}

function printChecks(checks: Record<string, Check>): void {
  for (const [name, check] of Object.entries(checks)) {
    const mark = check.passed ? 'ok  ' : 'FAIL'
    const why = check.passed ? '' : `  ${check.code}: ${check.reason}`
    process.stdout.write(`  ${mark} ${name}${why}\n`)
  }
}

/** Prints a verification envelope for people: one line per check. */
export function printVerification(result: {
  valid: boolean
  issuer?: string
  type?: string
  checks: Record<string, Check>
}): void {
  process.stdout.write(`${result.valid ? 'VALID' : 'NOT VALID'}${result.type ? `  ${result.type}` : ''}\n`)
  if (result.issuer) process.stdout.write(`issuer  ${result.issuer}\n`)
  printChecks(result.checks)
}

/** Prints a presentation's verification: its own checks, then each credential's. */
export function printPresentation(result: {
  valid: boolean
  checks: Record<string, Check>
  credentials: { valid: boolean; type?: string; issuer?: string; checks: Record<string, Check> }[]
  disclosed?: Record<string, unknown>
}): void {
  process.stdout.write(`${result.valid ? 'VALID' : 'NOT VALID'} presentation\n`)
  printChecks(result.checks)
  for (const c of result.credentials) printVerification(c)
}
