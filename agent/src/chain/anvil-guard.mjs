#!/usr/bin/env node
// Runs anvil as its child and makes sure it never outlives the agent: the agent holds this
// process's stdin open; when it closes — the agent stopped, crashed or was killed with SIGKILL — or
// this process gets SIGTERM/SIGINT/SIGHUP, anvil is stopped (SIGTERM, then SIGKILL after 3 s) and
// this process exits. When anvil exits on its own, this process exits with its code.
// Node built-ins only; the agent starts it as `node anvil-guard.mjs <anvil binary> <args…>`.
//
// The first line on stdout is `pid <anvil pid>` (the agent records it in its lock file).
import { spawn } from 'node:child_process'

const [binary, ...args] = process.argv.slice(2)
if (!binary) {
  process.stderr.write('usage: anvil-guard.mjs <anvil binary> [args…]\n')
  process.exit(2)
}
const anvil = spawn(binary, args, { stdio: ['ignore', 'ignore', 'inherit'] })
anvil.on('error', (e) => {
  process.stderr.write(`anvil-guard: cannot start anvil: ${e.message}\n`)
  process.exit(1)
})
if (anvil.pid) process.stdout.write(`pid ${anvil.pid}\n`)

let stopping = false
function stop() {
  if (stopping) return
  stopping = true
  if (anvil.exitCode !== null || anvil.signalCode !== null) process.exit(0)
  anvil.kill('SIGTERM')
  setTimeout(() => anvil.kill('SIGKILL'), 3000).unref()
}
anvil.on('exit', (code, signal) => process.exit(stopping ? 0 : (code ?? (signal ? 1 : 0))))
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, stop)
process.stdin.on('end', stop)
process.stdin.on('close', stop)
process.stdin.on('error', stop)
process.stdin.resume()
