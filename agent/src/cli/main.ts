import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { CommanderError } from 'commander'
import { CliError, EXIT } from './errors'
import { buildProgram } from './program'

/** Reports an error: `{ error }` JSON on stdout with --json (for scripts), always lines on stderr. */
function fail(json: boolean, error: CliError): number {
  if (json) {
    const issues = error.issues.length > 0 ? { issues: error.issues } : {}
    process.stdout.write(
      `${JSON.stringify({ error: { code: error.code, message: error.message, ...issues } })}\n`,
    )
  }
  process.stderr.write(`clavis: ${error.message} [${error.code}]\n`)
  return error.exitCode
}

/**
 * Runs the CLI; returns the exit code (0 done or valid, 1 failed or not valid, 2 usage).
 *
 * @example
 * process.exitCode = await runCli(['health', '--json'])
 */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // Known before parsing, so that usage errors are machine-readable too.
  const json = argv.includes('--json')
  let code: number = EXIT.ok
  const program = buildProgram(env, (c) => {
    code = c
  })
  try {
    await program.parseAsync(argv, { from: 'user' })
    return code
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander has printed the message (or the help) to stderr already.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.ok
      if (json) {
        const message = e.message.replace(/^error: /, '')
        process.stdout.write(`${JSON.stringify({ error: { code: 'usage', message } })}\n`)
      }
      return EXIT.usage
    }
    if (e instanceof CliError) return fail(json, e)
    return fail(json, new CliError(`unexpected error: ${(e as Error).message}`, 'internal'))
  }
}

/** Whether this file is the program being run (real paths: spaces, escapes and symlinks are fine). */
function isMainModule(): boolean {
  const script = process.argv[1]
  if (!script) return false
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (isMainModule()) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code
    },
    (e: unknown) => {
      process.stderr.write(`clavis: ${(e as Error).message}\n`)
      process.exitCode = 1
    },
  )
}
