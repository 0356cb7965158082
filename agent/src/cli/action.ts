import type { Command } from 'commander'
import type { GlobalOptions, Session } from './session'

/** What a command does: returns its exit code (0 when it returns nothing). */
export type Handler<O> = (session: Session, args: string[], options: O) => Promise<number | undefined>

/** Turns a handler into a commander action, recording its exit code for `runCli`. */
export type Act = <O = Record<string, unknown>>(handler: Handler<O>) => (...raw: unknown[]) => Promise<void>

/** Makes the `act` wrapper for one run of the CLI. */
export function actions(env: NodeJS.ProcessEnv, onExit: (code: number) => void): Act {
  return (handler) =>
    async (...raw) => {
      const command = raw.at(-1) as Command
      const options = raw.at(-2)
      const args = raw
        .slice(0, -2)
        .flat()
        .filter((a): a is string => typeof a === 'string')
      // Loaded when a command runs (not for --help or a usage error): it brings the API client and zod.
      const { Session } = await import('./session')
      const session = new Session(env, command.optsWithGlobals<GlobalOptions>())
      onExit((await handler(session, args, options as never)) ?? 0)
    }
}
