/** A minimal structured logger; never pass it secrets or claim values. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
  debug(message: string, fields?: Record<string, unknown>): void
}

/** A logger writing one line per event to stderr. */
export function createLogger(level: 'silent' | 'info' | 'debug'): Logger {
  const write = (lvl: string, message: string, fields?: Record<string, unknown>) => {
    const extra = fields ? ` ${JSON.stringify(fields)}` : ''
    process.stderr.write(`[clavis] ${lvl} ${message}${extra}\n`)
  }
  return {
    info: (m, f) => level !== 'silent' && write('info', m, f),
    error: (m, f) => level !== 'silent' && write('error', m, f),
    debug: (m, f) => level === 'debug' && write('debug', m, f),
  }
}
