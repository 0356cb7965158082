// Preloaded (`node --import ./scripts/exit-with-parent.mjs …`) into the processes `npm start`
// runs: when the process that started this one goes away — however it ended, SIGKILL included —
// this one gets SIGTERM, so it stops gracefully instead of running on as an orphan.
const parent = process.ppid
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM')
}, 500).unref()
