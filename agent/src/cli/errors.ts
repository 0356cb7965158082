/** How the CLI ends: 0 done (or valid), 1 failed or not valid, 2 the command line was wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/** A field the agent refused, as the CLI reports it. */
export interface CliIssue {
  path: string
  message: string
}

/**
 * An error the CLI reports in one line (and, with --json, as `{ error: { code, message } }`).
 * `usage` errors exit 2: the command line itself was wrong; every other error exits 1.
 *
 * @example
 * throw CliError.usage('--valid-until 2020-01-01 is in the past; give a later date.')
 */
export class CliError extends Error {
  override readonly name = 'CliError'
  readonly code: string
  readonly exitCode: ExitCode
  readonly issues: CliIssue[]

  constructor(message: string, code: string, exitCode: ExitCode = EXIT.failed, issues: CliIssue[] = []) {
    super(message)
    this.code = code
    this.exitCode = exitCode
    this.issues = issues
  }

  /** The command line was wrong (exit 2). */
  static usage(message: string, code = 'usage'): CliError {
    return new CliError(message, code, EXIT.usage)
  }
}
