import { parseArgs } from 'node:util'
import { agentUrlFrom, CliError } from './client'
import { COMMANDS } from './commands'

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

/** Runs the CLI; returns the exit code (0 ok, 1 failed or not valid, 2 usage). */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
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
      },
    })
  } catch (e) {
    process.stderr.write(`clavis: ${(e as Error).message}\n\n${usage()}\n`)
    return 2
  }
  const { positionals, values } = parsed
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${usage()}\n`)
    return positionals.length === 0 && !values.help ? 2 : 0
  }
  const two = positionals.slice(0, 2).join(' ')
  const name = COMMANDS[two] ? two : COMMANDS[positionals[0]!] ? positionals[0]! : undefined
  if (!name) {
    process.stderr.write(`clavis: unknown command "${positionals.join(' ')}"\n\n${usage()}\n`)
    return 2
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
    if (e instanceof CliError) {
      if (values.json)
        process.stdout.write(`${JSON.stringify({ error: { code: e.code, message: e.message } })}\n`)
      process.stderr.write(`clavis: ${e.message} [${e.code}]\n`)
      return e.exitCode
    }
    process.stderr.write(`clavis: unexpected error: ${(e as Error).message}\n`)
    return 1
  }
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))
if (isMain) {
  runCli(process.argv.slice(2)).then((code) => process.exit(code))
}
