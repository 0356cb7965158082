import { Command } from 'commander'
import packageJson from '../../package.json' with { type: 'json' }
import { type Act, actions } from './action'
import { registerAsk } from './commands/ask'
import { registerAudit } from './commands/audit'
import { registerCredentials } from './commands/credentials'
import { registerDids } from './commands/dids'
import { registerHolder } from './commands/holder'
import { registerIssuance } from './commands/issuance'
import { registerOffers } from './commands/offers'
import { registerOrganisations } from './commands/organisations'
import { registerSystem } from './commands/system'
import { registerTrust } from './commands/trust'
import { registerVerification } from './commands/verification'
import { registerWallet } from './commands/wallet'

const FOOTER = `
Environment:
  CLAVIS_TOKEN        your organisation's staff token (the demo's: export CLAVIS_TOKEN=$(cat .clavis/demo-board.token))
  CLAVIS_AGENT_URL    the agent (default http://127.0.0.1:8787)
  CLAVIS_DATA_DIR     the data folder with admin-token (default: the repository's .clavis)

Exit codes: 0 done or valid, 1 failed or not valid, 2 the command line was wrong.
Run clavis <command> --help for a command's options and examples.`

/**
 * The CLI's commands. `onExit` receives the exit code of the command that ran.
 *
 * @example
 * const program = buildProgram(process.env, (code) => { exitCode = code })
 */
export function buildProgram(env: NodeJS.ProcessEnv, onExit: (code: number) => void): Command {
  const program = new Command('clavis')
    .description('Clavis: credentials for clinicians and patients, on did:ethr')
    .version(packageJson.version, '-V, --version')
    .option('--json', 'machine output: JSON on stdout (errors too)')
    .option('--agent <url>', 'the agent (default $CLAVIS_AGENT_URL or http://127.0.0.1:8787)')
    .option('--token <token>', 'a staff or operator token (default $CLAVIS_TOKEN)')
    .option('--token-file <file>', 'read the token from a file (default $CLAVIS_TOKEN_FILE)')
    .addHelpText('after', FOOTER)
    .showHelpAfterError('(clavis --help lists the commands; clavis <command> --help shows one)')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
    })
  const act: Act = actions(env, onExit)
  registerSystem(program, act)
  registerOrganisations(program, act)
  registerDids(program, act)
  registerIssuance(program, act)
  registerOffers(program, act)
  registerAsk(program, act)
  registerCredentials(program, act)
  registerTrust(program, act)
  registerAudit(program, act)
  registerVerification(program, act)
  registerHolder(program, act)
  registerWallet(program, act)
  return program
}
