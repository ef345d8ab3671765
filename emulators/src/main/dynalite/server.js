'use strict'
// The emulators' DynamoDB: dynalite in memory, started by DynamoDbEmulator (Java) as
//   node server.js HOST PORT
// It prints one line, "listening PORT" (the bound port: PORT 0 picks a free one) or "error: WHY", and never
// outlives the process that started it: that process holds this one's stdin, which reaches end-of-file when it
// exits in any way (SIGKILL included, the kernel closes the pipe); a re-parenting is caught too.
const major = Number(process.versions.node.split('.')[0])
if (major < 20) {
  console.log('error: dynalite 4 needs Node.js 20 or newer, and ' + process.execPath + ' is ' + process.version)
  process.exit(3)
}

const [host, port] = process.argv.slice(2)
// Tables are ACTIVE at once: dynalite's default 500 ms in CREATING only slows tests down.
const server = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
server.on('error', (e) => {
  console.log('error: ' + e.message)
  process.exit(2)
})
server.listen(Number(port), host, () => console.log('listening ' + server.address().port))

const parent = process.ppid
process.stdin.on('end', () => process.exit(0)).on('error', () => process.exit(0)).resume()
setInterval(() => {
  if (process.ppid !== parent) process.exit(0)
}, 500).unref()
