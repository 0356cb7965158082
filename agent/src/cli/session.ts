import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Organisation } from '@clavis/api'
import type { ApiClient } from '@clavis/api/client'
import { agentUrlFrom, type ClientOptions, cliApi, type FieldNames } from './client'
import { CliError } from './errors'
import { printJson } from './format'

/** Options every command takes. */
export interface GlobalOptions {
  json?: boolean
  agent?: string
  token?: string
  tokenFile?: string
}

/** The repository this CLI belongs to (where `pnpm-workspace.yaml` is), found from this file. */
export function repositoryRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir
    const up = dirname(dir)
    if (up === dir) return undefined
    dir = up
  }
}

/**
 * One run of the CLI: where it runs, its environment and global options, and the agent it talks to.
 * Files named on the command line are relative to where the user ran it; the data folder (admin
 * token) defaults to the repository's `.clavis`, so the CLI works from any folder.
 */
export class Session {
  readonly agentUrl: string
  readonly json: boolean
  private organisation: Promise<Organisation> | undefined
  private chain: Promise<number> | undefined

  constructor(
    readonly env: NodeJS.ProcessEnv,
    readonly global: GlobalOptions,
  ) {
    this.agentUrl = agentUrlFrom(global.agent, env)
    this.json = global.json === true
  }

  /**
   * Where the user ran the command. Through `pnpm clavis` that is INIT_CWD (pnpm runs the script
   * from the workspace root); INIT_CWD left over from an enclosing script is ignored otherwise.
   */
  get cwd(): string {
    if (this.env.npm_lifecycle_event === 'clavis' && this.env.INIT_CWD) return this.env.INIT_CWD
    return process.cwd()
  }

  /** The data folder: $CLAVIS_DATA_DIR, else the repository's `.clavis`. */
  get dataDir(): string {
    if (this.env.CLAVIS_DATA_DIR) return resolve(this.cwd, this.env.CLAVIS_DATA_DIR)
    return join(repositoryRoot() ?? this.cwd, '.clavis')
  }

  /** A path named on the command line, made absolute. */
  resolvePath(path: string): string {
    return resolve(this.cwd, path)
  }

  /** Reads a file named on the command line, or stdin for `-`. */
  read(pathOrDash: string, what: string): string {
    try {
      return readFileSync(pathOrDash === '-' ? 0 : resolve(this.cwd, pathOrDash), 'utf8')
    } catch (e) {
      const reason = (e as { code?: string }).code === 'ENOENT' ? 'no such file' : (e as Error).message
      throw CliError.usage(
        `Cannot read ${what} ${pathOrDash === '-' ? 'from stdin' : pathOrDash}: ${reason}.`,
      )
    }
  }

  /** Reads and parses a JSON file named on the command line. */
  readJson(pathOrDash: string, what: string): unknown {
    const text = this.read(pathOrDash, what)
    try {
      return JSON.parse(text)
    } catch {
      throw CliError.usage(`${what} ${pathOrDash} is not JSON.`, 'malformed_json')
    }
  }

  /**
   * Writes a file the command produces. `private` files get mode 0600; `exclusive` ones (keys) are
   * never overwritten.
   */
  write(path: string, content: string, options: { private?: boolean; exclusive?: boolean } = {}): string {
    const full = resolve(this.cwd, path)
    try {
      writeFileSync(full, content, {
        ...(options.private ? { mode: 0o600 } : {}),
        flag: options.exclusive ? 'wx' : 'w',
      })
      if (options.private) chmodSync(full, 0o600)
    } catch (e) {
      const exists = (e as { code?: string }).code === 'EEXIST'
      throw CliError.usage(
        exists
          ? `${path} exists and holds a key, so it is not overwritten; choose another --out or delete it.`
          : `Cannot write ${path}: ${(e as Error).message}`,
      )
    }
    return full
  }

  /** Prints `value` as JSON with --json, else calls `human`. */
  print(value: unknown, human: () => void): void {
    if (this.json) printJson(value)
    else human()
  }

  /** A note for people on stderr (kept out of stdout, which carries the product). */
  note(line: string): void {
    if (!this.json) process.stderr.write(`${line}\n`)
  }

  publicClient(): ClientOptions {
    return { agentUrl: this.agentUrl, token: undefined }
  }

  /** The staff token: --token, --token-file, $CLAVIS_TOKEN, $CLAVIS_TOKEN_FILE. */
  staffToken(): string | undefined {
    if (this.global.token) return this.global.token
    const file = this.global.tokenFile ?? (this.env.CLAVIS_TOKEN ? undefined : this.env.CLAVIS_TOKEN_FILE)
    if (file) return this.read(file, 'the token file').trim()
    return this.env.CLAVIS_TOKEN || undefined
  }

  staffClient(): ClientOptions {
    const token = this.staffToken()
    if (!token) {
      throw CliError.usage(
        "No staff token. Set CLAVIS_TOKEN to your organisation's token (the demo's: export CLAVIS_TOKEN=$(cat .clavis/demo-board.token)), or pass --token / --token-file.",
        'unauthorized',
      )
    }
    return { agentUrl: this.agentUrl, token }
  }

  /** The operator token: --token, $CLAVIS_ADMIN_TOKEN, or `<data dir>/admin-token`. */
  operatorToken(): { token: string; from: string } | undefined {
    if (this.global.token) return { token: this.global.token, from: '--token' }
    if (this.global.tokenFile)
      return { token: this.read(this.global.tokenFile, 'the token file').trim(), from: this.global.tokenFile }
    if (this.env.CLAVIS_ADMIN_TOKEN) return { token: this.env.CLAVIS_ADMIN_TOKEN, from: 'CLAVIS_ADMIN_TOKEN' }
    const path = join(this.dataDir, 'admin-token')
    try {
      return { token: readFileSync(path, 'utf8').trim(), from: path }
    } catch {
      return undefined
    }
  }

  operatorClient(): ClientOptions {
    const found = this.operatorToken()
    if (!found) {
      throw CliError.usage(
        `This is an operator command and there is no operator token: pass --token, set CLAVIS_ADMIN_TOKEN, or run on the machine whose data folder has admin-token (looked in ${this.dataDir}).`,
        'unauthorized',
      )
    }
    if (found.from !== '--token' && (this.env.CLAVIS_TOKEN || this.env.CLAVIS_TOKEN_FILE))
      this.note(`(as the operator, with the token from ${found.from}; CLAVIS_TOKEN is a staff token)`)
    return { agentUrl: this.agentUrl, token: found.token }
  }

  /**
   * The agent's API as anyone (no token); failures name the bad fields as `fields` says.
   *
   * @example
   * const { organisations } = await s.publicApi().listOrganisations()
   */
  publicApi(fields?: FieldNames): ApiClient {
    return cliApi(this.publicClient(), fields)
  }

  /** The agent's API as the organisation's staff (exit 2 without a staff token). */
  staffApi(fields?: FieldNames): ApiClient {
    return cliApi(this.staffClient(), fields)
  }

  /** The agent's API as the operator (exit 2 without an operator token). */
  operatorApi(fields?: FieldNames): ApiClient {
    return cliApi(this.operatorClient(), fields)
  }

  /** The agent's API as the operator when an operator token is at hand, else as anyone. */
  operatorOrPublicApi(): ApiClient {
    return cliApi({ agentUrl: this.agentUrl, token: this.operatorToken()?.token })
  }

  /** The organisation of the staff token (asked once per run). */
  myOrganisation(): Promise<Organisation> {
    this.organisation ??= (async () => {
      const me = await this.staffApi().whoAmI()
      if (me.role !== 'staff')
        throw CliError.usage(
          'This is the operator token; this command needs an organisation staff token.',
          'forbidden',
        )
      return me.organisation
    })()
    return this.organisation
  }

  /** The agent's chain id (asked once per run). */
  chainId(): Promise<number> {
    this.chain ??= this.publicApi()
      .getHealth()
      .then((h) => h.chain.chainId)
    return this.chain
  }

  /**
   * An organisation by id, DID or exact name.
   *
   * @example
   * await session.findOrganisation('Demo General Hospital')
   */
  async findOrganisation(ref: string): Promise<Organisation> {
    const { organisations } = await this.publicApi().listOrganisations()
    const found = organisations.find((o) => o.id === ref || o.did === ref || o.name === ref)
    if (!found)
      throw CliError.usage(
        `No organisation "${ref}" on this agent (by id, DID or name); see clavis org list.`,
      )
    return found
  }
}
