import type { Command } from 'commander'
import type { Act } from '../action'
import { printFields } from '../format'

/** `health`, `whoami`. */
export function registerSystem(program: Command, act: Act): void {
  program
    .command('health')
    .description("the agent's chain and registry (with the operator token: its database too)")
    .addHelpText('after', '\nExamples:\n  clavis health\n  clavis health --json')
    .action(
      act(async (s) => {
        const h = await s.operatorOrPublicApi().getHealth()
        s.print(h, () =>
          printFields([
            ['status', h.status],
            ['chain id', h.chain.chainId],
            ['latest block', h.chain.latestBlock],
            ['registry', h.chain.registry],
            ['embedded', h.chain.embedded],
            ['database', h.database?.type],
          ]),
        )
        return 0
      }),
    )

  program
    .command('whoami')
    .description('whose token this is')
    .action(
      act(async (s) => {
        const r = await s.staffApi().whoAmI()
        const organisation = r.role === 'staff' ? r.organisation : undefined
        s.print(r, () =>
          printFields([
            ['role', r.role],
            ['organisation', organisation?.name],
            ['id', organisation?.id],
            ['did', organisation?.did],
          ]),
        )
        return 0
      }),
    )
}
