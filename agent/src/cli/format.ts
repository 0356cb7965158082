/** Prints a value as JSON (for --json). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}

/** Prints aligned `label  value` lines. */
export function printFields(fields: [string, unknown][]): void {
  const width = Math.max(...fields.map(([k]) => k.length))
  for (const [k, v] of fields) {
    if (v === undefined) continue
    process.stdout.write(`${k.padEnd(width)}  ${v === null ? '-' : String(v)}\n`)
  }
}

/** Prints a verification envelope for people: one line per check. */
export function printVerification(result: {
  valid: boolean
  issuer?: string
  type?: string
  checks: Record<string, { passed: boolean; code?: string; reason?: string }>
}): void {
  process.stdout.write(`${result.valid ? 'VALID' : 'NOT VALID'}${result.type ? `  ${result.type}` : ''}\n`)
  if (result.issuer) process.stdout.write(`issuer  ${result.issuer}\n`)
  for (const [name, check] of Object.entries(result.checks)) {
    const mark = check.passed ? 'ok  ' : 'FAIL'
    const why = check.passed ? '' : `  ${check.code}: ${check.reason}`
    process.stdout.write(`  ${mark} ${name}${why}\n`)
  }
}
