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
let listening = false
server.on('error', (e) => {
  if (!listening) {
    console.log('error: ' + e.message)
    process.exit(2)
  }
  // After the start (an accept failing, say) one request is lost, not the whole emulator: say so and go on.
  console.error('dynalite server error: ' + (e.stack || e))
})
server.listen(Number(port), host, () => {
  listening = true
  console.log('listening ' + server.address().port)
})
// A failure inside one request must not end the emulator under every test that follows: it is reported (the Java
// side logs what the process said if it ever exits) and the server goes on.
process.on('uncaughtException', (e) => console.error('dynalite uncaught: ' + (e.stack || e)))

const parent = process.ppid
process.stdin
  .on('end', () => lifelineLost('stdin ended'))
  .on('error', (e) => lifelineLost('stdin failed: ' + e.message))
  .resume()
setInterval(() => {
  if (process.ppid !== parent) lifelineLost('parent ' + parent + ' is gone')
}, 500).unref()

function lifelineLost (why) {
  console.error('dynalite exiting: ' + why)
  process.exit(0)
}
