import type { AgentHealth, Organisation } from './types'

/** A label and a value for the status page's description list. */
export interface StatusRow {
  label: string
  value: string
}

const KIND_LABELS: Record<Organisation['kind'], string> = {
  board: 'Medical board',
  hospital: 'Hospital',
}

/**
 * Turns the agent's health into the rows the status page shows, in order.
 *
 * @example
 * healthRows(health) // [{ label: 'Chain ID', value: '31337' }, …]
 */
export function healthRows(health: AgentHealth): StatusRow[] {
  const { chain } = health
  return [
    { label: 'Chain ID', value: String(chain.chainId) },
    { label: 'Latest block', value: chain.latestBlock.toLocaleString('en-GB') },
    { label: 'Registry', value: chain.registry },
  ]
}

/**
 * A reader's name for an organisation kind.
 *
 * @example
 * kindLabel('board') // 'Medical board'
 */
export function kindLabel(kind: Organisation['kind']): string {
  return KIND_LABELS[kind]
}

/**
 * Organisations in a stable order for display: boards first, then hospitals, each by name.
 *
 * @example
 * sortOrganisations(list).map((o) => o.kind) // ['board', 'hospital', 'hospital']
 */
export function sortOrganisations(list: readonly Organisation[]): Organisation[] {
  const rank = { board: 0, hospital: 1 } as const
  return [...list].sort((a, b) => rank[a.kind] - rank[b.kind] || a.name.localeCompare(b.name, 'en'))
}

/** A piece of a message: plain text, or a command to show as code. */
export interface TextPart {
  text: string
  code: boolean
}

/**
 * Splits a message on backticks so commands can be shown as code, without any HTML.
 *
 * @example
 * splitCode('run `pnpm start` now') // [{ text: 'run ', code: false }, { text: 'pnpm start', code: true }, { text: ' now', code: false }]
 */
export function splitCode(message: string): TextPart[] {
  return message
    .split('`')
    .map((text, i) => ({ text, code: i % 2 === 1 }))
    .filter((part) => part.text !== '')
}
