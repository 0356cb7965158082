import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { agentUrlFrom, CliError } from './client'
import { COMMANDS as STAFF_COMMANDS } from './commands'
import { HOLDER_COMMANDS } from './holder-commands'

const COMMANDS = { ...STAFF_COMMANDS, ...HOLDER_COMMANDS }

function usage(): string {
  const lines = Object.values(COMMANDS).map((c) => `  clavis ${c.usage}`)
  return [
    'usage: pnpm clavis <command> [options]',
    '',
    ...lines,
    '',
    'options: --json (machine output)  --agent URL (default $CLAVIS_AGENT_URL or http://127.0.0.1:8787)',
    '         --token TOKEN (default $CLAVIS_TOKEN; operator commands read <data dir>/admin-token)',
  ].join('\n')
}

/** Reports an error: JSON on stdout with --json (for scripts), always a line on stderr. */
function fail(options: { json: boolean; error: CliError; usage?: boolean }): number {
  const { json, error } = options
  if (json)
    process.stdout.write(`${JSON.stringify({ error: { code: error.code, message: error.message } })}\n`)
  process.stderr.write(`clavis: ${error.message} [${error.code}]\n${options.usage ? `\n${usage()}\n` : ''}`)
  return error.exitCode
}

/** Runs the CLI; returns the exit code (0 ok, 1 failed or not valid, 2 usage). */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // Known before parsing, so that usage errors are machine-readable too.
  const wantsJson = argv.includes('--json')
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        agent: { type: 'string' },
        token: { type: 'string' },
        name: { type: 'string' },
        kind: { type: 'string' },
        type: { type: 'string', multiple: true },
        endpoint: { type: 'string' },
        validity: { type: 'string' },
        policy: { type: 'string' },
        yes: { type: 'boolean' },
        subject: { type: 'string' },
        claims: { type: 'string' },
        'valid-from': { type: 'string' },
        'valid-until': { type: 'string' },
        'reissue-required': { type: 'boolean' },
        verifier: { type: 'string' },
        issuer: { type: 'string' },
        format: { type: 'string' },
        'holder-jwk': { type: 'string' },
        out: { type: 'string' },
        alg: { type: 'string' },
        credential: { type: 'string' },
        key: { type: 'string' },
        nonce: { type: 'string' },
        'request-secret': { type: 'string' },
        audience: { type: 'string' },
        disclose: { type: 'string' },
        ttl: { type: 'string' },
      },
    })
  } catch (e) {
    return fail({ json: wantsJson, error: new CliError((e as Error).message, 'usage', 2), usage: true })
  }
  const { positionals, values } = parsed
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${usage()}\n`)
    return positionals.length === 0 && !values.help ? 2 : 0
  }
  const two = positionals.slice(0, 2).join(' ')
  // Own properties only: `constructor` or `toString` are not commands.
  const isCommand = (words: string) => Object.hasOwn(COMMANDS, words)
  const name = isCommand(two) ? two : isCommand(positionals[0]!) ? positionals[0]! : undefined
  if (!name) {
    const error = new CliError(`unknown command "${positionals.join(' ')}"`, 'usage', 2)
    return fail({ json: values.json === true, error, usage: true })
  }
  // `--type` is multiple for `trust add`; elsewhere it is one value.
  const flags = { ...values } as Record<string, string | boolean | string[] | undefined>
  if (Array.isArray(values.type) && name !== 'trust add') flags.type = values.type.at(-1)
  try {
    return await COMMANDS[name]!.run({
      args: positionals.slice(name.split(' ').length),
      flags,
      json: values.json === true,
      agentUrl: agentUrlFrom(values.agent as string | undefined, env),
      env,
    })
  } catch (e) {
    if (e instanceof CliError) return fail({ json: values.json === true, error: e })
    const error = new CliError(`unexpected error: ${(e as Error).message}`, 'internal')
    return fail({ json: values.json === true, error })
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

const isMain = isMainModule()
if (isMain) {
  runCli(process.argv.slice(2)).then((code) => process.exit(code))
}
