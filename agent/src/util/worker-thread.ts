import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'

/** Whether this module runs from the TypeScript sources (tests, tsx) rather than from the bundle. */
const FROM_SOURCES = import.meta.url.endsWith('.ts')

/**
 * Starts a worker thread on one of the agent's worker modules. From the bundle (agent/dist/server)
 * that is `<bundled>` beside main.mjs (scripts/build-agent.mjs builds it as its own entry); from the
 * sources it is the TypeScript file `source`, loaded through tsx's loader (a dev dependency, there
 * whenever the sources run).
 *
 * @example
 * const worker = startWorker({ source: new URL('./batch-worker.ts', import.meta.url), bundled: 'batch-worker.mjs' })
 */
export function startWorker(options: { source: URL; bundled: string }): Worker {
  if (!FROM_SOURCES) return new Worker(new URL(`./${options.bundled}`, import.meta.url))
  const tsx = new URL(
    'dist/esm/api/index.mjs',
    pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json')),
  )
  const boot = `import(${JSON.stringify(tsx.href)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(options.source.href)}) })`
  return new Worker(boot, { eval: true })
}
