// The signaling load generator under Node.js, on the `ws` package y-webrtc's clients use: the same plan as the JDK
// one (bench/src/.../signaling/SignalingLoad.java). It connects rooms × peers clients (each waits for the pong of a
// ping: connects/s), subscribes each to its room (the pong after the subscribe: subscribes/s), warms every room with
// one publish, then publishes `messages` per peer at a total `rate` of publishes per second and checks off every
// receipt: deliveries/s, publish → receive latency, lost and duplicated messages.
//
//   node load.mjs PLAN.json
//
// PLAN.json: {"urls": [...one per connection, room = index / peers...], "rooms", "peers", "messages", "rate",
// "payloadBytes"}. Output, one line each on stdout: `publishing` when the paced phase starts (the harness reads the
// server's CPU there), then `result {json}`. Exits 1 with a message on stderr when connections fail.
import { readFileSync } from 'node:fs'
import WebSocket from 'ws'

const STALL_MS = 15_000
const IN_FLIGHT_CONNECTS = 64

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const { urls, rooms, peers: seats, messages, rate, payloadBytes } = plan
const padding = 'x'.repeat(Math.max(0, payloadBytes))
const count = rooms * seats
const expected = count * messages * seats

const room = (r) => `bench-room-${r}`
const publishFrame = (r, data) => JSON.stringify({ type: 'publish', topic: room(r), data })
const now = () => performance.now() // milliseconds, sub-microsecond resolution, one clock for send and receipt

let pongs = 0
let warmups = 0
let delivered = 0
let duplicates = 0
let lastReceipt = 0
const latencies = new Float64Array(expected)

class Peer {
  constructor (index) {
    this.index = index
    this.room = Math.floor(index / seats)
    this.seat = index % seats
    this.seen = new Uint8Array(seats * messages)
  }

  open () {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(urls[this.index], { perMessageDeflate: false })
      this.socket = socket
      socket.on('open', () => {
        socket.send('{"type":"ping"}')
        resolve()
      })
      socket.on('error', reject)
      socket.on('message', (data) => this.receive(data.toString()))
    })
  }

  receive (s) {
    const at = now()
    const dataAt = s.indexOf('"data":"')
    if (dataAt < 0) {
      if (s.includes('"pong"')) pongs++
      return
    }
    const from = dataAt + 8
    if (s.charAt(from) === 'w') {
      warmups++
      return
    }
    const first = s.indexOf(':', from)
    const second = s.indexOf(':', first + 1)
    const third = s.indexOf(':', second + 1)
    const sender = Number(s.substring(from, first))
    const sequence = Number(s.substring(first + 1, second))
    const sentAt = Number(s.substring(second + 1, third))
    const key = sender * messages + sequence
    if (this.seen[key]) {
      duplicates++
      return
    }
    this.seen[key] = 1
    latencies[delivered++] = at - sentAt
    if (at > lastReceipt) lastReceipt = at
  }
}

// Waits until `value()` reaches `target` or has not moved for STALL_MS; true when it reached it.
function until (value, target) {
  return new Promise((resolve) => {
    let seen = -1
    let movedAt = now()
    const check = () => {
      const v = value()
      if (v >= target) return resolve(true)
      if (v !== seen) {
        seen = v
        movedAt = now()
      } else if (now() - movedAt > STALL_MS) {
        return resolve(false)
      }
      setTimeout(check, 5) // polling a counter with a stall deadline
    }
    check()
  })
}

function fail (message) {
  process.stderr.write(`load.mjs: ${message}\n`)
  process.exit(1)
}

async function connect (all) {
  const start = now()
  let next = 0
  const worker = async () => {
    while (next < all.length) {
      await all[next++].open()
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT_CONNECTS }, worker))
  if (!(await until(() => pongs, count))) fail(`${count - pongs} connections unanswered`)
  return count / ((now() - start) / 1000)
}

async function subscribe (all) {
  pongs = 0
  const start = now()
  for (const peer of all) {
    peer.socket.send(JSON.stringify({ type: 'subscribe', topics: [room(peer.room)] }))
    peer.socket.send('{"type":"ping"}')
  }
  if (!(await until(() => pongs, count))) fail(`${count - pongs} subscriptions unanswered`)
  return count / ((now() - start) / 1000)
}

// Publish k (of count × messages) goes at start + k / rate, from peer k % count: every peer in turn, evenly paced.
function publish (all) {
  return new Promise((resolve) => {
    const total = count * messages
    const start = now()
    let k = 0
    const tick = () => {
      const owed = rate === 0 ? total : Math.min(total, Math.floor(((now() - start) * rate) / 1000) + 1)
      for (; k < owed; k++) {
        const peer = all[k % count]
        const q = Math.floor(k / count)
        peer.socket.send(publishFrame(peer.room, `${peer.seat}:${q}:${now()}:${padding}`))
      }
      if (k < total) setTimeout(tick, 1)
      else resolve(start)
    }
    tick()
  })
}

function percentile (sorted, p) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]
}

const all = Array.from({ length: count }, (_, i) => new Peer(i))
try {
  const connects = await connect(all)
  const subscribes = await subscribe(all)
  for (let r = 0; r < rooms; r++) all[r * seats].socket.send(publishFrame(r, 'w'))
  if (!(await until(() => warmups, count))) fail(`${count - warmups} warm-up receipts missing`)
  process.stdout.write('publishing\n')
  const start = await publish(all)
  await until(() => delivered, expected)
  const sorted = latencies.slice(0, delivered).sort()
  const result = {
    connectsPerSecond: connects,
    subscribesPerSecond: subscribes,
    deliveriesPerSecond: delivered / ((lastReceipt - start) / 1000),
    p50Millis: percentile(sorted, 0.5),
    p99Millis: percentile(sorted, 0.99),
    lost: expected - delivered,
    duplicates
  }
  process.stdout.write(`result ${JSON.stringify(result)}\n`)
} catch (e) {
  fail(String(e))
} finally {
  for (const peer of all) peer.socket?.terminate()
}
process.exit(0)
