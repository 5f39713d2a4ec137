// The collaboration load through the stock Yjs client (yjs + y-websocket's WebsocketProvider,
// unchanged), for `make bench` to run against @y/websocket-server and against PeerPrep's
// collaboration service in the same run. One process, many clients:
//
//   node load.mjs PLAN.json
//
// PLAN.json: {"url": "ws://…", "clients": [{"room": …, "token": …}, …], "rate": 5,
// "seconds": 20, "drain": 2}. Clients of the same room edit one document. Prints
// "connected" once every client has synced, waits for a line on stdin, edits at `rate` a
// second each for `seconds`, waits `drain` seconds more, and prints one JSON line:
// {"edits", "delivered", "latencies_ms": […]} (edit made → applied by a peer).
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'

process.setMaxListeners(0)
const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const sent = new Map()
const latencies = []
let edits = 0
let delivered = 0

function client ({ room, token }) {
  class Authed extends WebSocket {
    constructor (address, protocols) {
      super(address, protocols, { headers: { Authorization: `Bearer ${token}` } })
    }
  }
  const doc = new Y.Doc()
  const text = doc.getText('code')
  const provider = new WebsocketProvider(plan.url, room, doc, {
    WebSocketPolyfill: Authed,
    disableBc: true,
    resyncInterval: -1
  })
  provider.awareness.setLocalStateField('user', { name: `bench-${doc.clientID}` })
  doc.on('update', (update, origin) => {
    if (origin !== provider) return
    const now = performance.now()
    for (const [id, clock] of Y.parseUpdateMeta(update).to) {
      const at = sent.get(`${id}:${clock}`)
      if (id !== doc.clientID && at !== undefined) {
        latencies.push(now - at)
        delivered++
      }
    }
  })
  const synced = new Promise(resolve => provider.once('sync', resolve))
  const edit = () => {
    const at = (doc.clientID * 2654435761 >>> 0) % (text.length + 1)
    text.insert(at, 'x')
    sent.set(`${doc.clientID}:${Y.getState(doc.store, doc.clientID)}`, performance.now())
    edits++
  }
  return { provider, synced, edit }
}

const clients = plan.clients.map(client)
await Promise.all(clients.map(c => c.synced))
process.stdout.write('connected\n')
const lines = createInterface({ input: process.stdin })
await new Promise(resolve => lines.once('line', resolve))

const every = 1000 / plan.rate
const until = performance.now() + plan.seconds * 1000
const timers = clients.map((c, i) => setTimeout(function tick () {
  if (performance.now() >= until) return
  c.edit()
  timers[i] = setTimeout(tick, every)
}, (i * 37) % every))
await new Promise(resolve => setTimeout(resolve, (plan.seconds + plan.drain) * 1000))
timers.forEach(clearTimeout)
clients.forEach(c => c.provider.destroy())
// Exit only once the (large) line is written: stdout to a pipe is asynchronous.
process.stdout.write(JSON.stringify({ edits, delivered, latencies_ms: latencies }) + '\n', () => process.exit(0))
