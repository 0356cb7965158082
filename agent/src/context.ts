import type { Resolver } from 'did-resolver'
import type { DataSource } from 'typeorm'
import type { Chain } from './chain/connect'
import type { AgentConfig } from './config'
import type { Logger } from './util/log'
import type { ClavisVeramo } from './veramo/create-agent'

/** What the agent's services share: passed in, never global. */
export interface AgentContext {
  config: AgentConfig
  db: DataSource
  chain: Chain
  veramo: ClavisVeramo
  resolver: Resolver
  log: Logger
}
