// A stock Yjs client (yjs + y-websocket's WebsocketProvider, unchanged) that edits a room
// at random and prints the text it ends with. Used by the Rust tests in ../api/.
//
//   node client.mjs --urls ws://a/…/yjs,ws://b/…/yjs --room ID --token JWT --name ada
//                   --edits 200 --seed 7 [--inserts-only] [--pace-ms 4] [--peers 2]
//
// With several URLs it moves to the next one whenever its connection drops, keeping its
// document (and any edits made while offline), as a browser behind a load balancer would.
// When done editing it marks itself done in the shared map `done`, waits until `--peers`
// clients are done and the document has been quiet, and prints {"text": …, "tokens": […]}.
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => {
  if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1] && !all[i + 1].startsWith('--') ? all[i + 1] : 'true'])
  return pairs
}, []))
const urls = args.urls.split(',')
const edits = Number(args.edits ?? 100)
const peers = Number(args.peers ?? 2)
const insertsOnly = args['inserts-only'] === 'true'
// Milliseconds between edits (0: as fast as the event loop allows, in small bursts).
const paceMs = Number(args['pace-ms'] ?? 0)
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

// A small seeded PRNG, so a failing run can be replayed.
let seed = Number(args.seed ?? 1) >>> 0
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

// A refusal that retrying cannot mend ends the client, saying why; any other failure to
// connect is retried, as the stock client does.
const FINAL = {
  400: 'the server does not take this upgrade (a query string in the URL?)',
  401: 'the token is missing, expired (tokens last 15 minutes: log in again) or from a session that ended',
  403: 'this user is not a member of the room (or the Origin is not allowed)',
  404: 'there is no such room'
}

class AuthedWebSocket extends WebSocket {
  constructor (address, protocols) {
    super(address, protocols, { headers: { Authorization: `Bearer ${args.token}` } })
    this.on('unexpected-response', (request, response) => {
      const status = response.statusCode
      if (!FINAL[status]) {
        request.destroy(new Error(`Unexpected server response: ${status}`))
        return
      }
      let body = ''
      response.on('data', chunk => { body += chunk })
      response.on('end', () => {
        const code = (() => { try { return JSON.parse(body).error.code } catch { return '' } })()
        process.stderr.write(`${args.name ?? 'client'}: ${address} refused the websocket: ${status}${code ? ` ${code}` : ''}: ${FINAL[status]}\n`)
        process.exit(2)
      })
    })
  }
}

const doc = new Y.Doc()
const text = doc.getText('code')
const done = doc.getMap('done')
let current = 0
let provider = null
let synced = false

function connect () {
  const mine = new WebsocketProvider(urls[current], args.room, doc, {
    WebSocketPolyfill: AuthedWebSocket,
    disableBc: true,
    maxBackoffTime: 300
  })
  provider = mine
  mine.awareness.setLocalStateField('user', { name: args.name ?? 'client', color: '#30bced' })
  mine.on('sync', isSynced => { if (isSynced) synced = true })
  mine.on('status', ({ status }) => process.stderr.write(`${Date.now()} ${args.name} ${urls[current]} ${status}\n`))
  mine.on('connection-close', () => {
    // Only the live provider moves on; destroying it below closes it too.
    if (urls.length > 1 && mine === provider) {
      provider = null
      current = (current + 1) % urls.length
      setTimeout(() => { mine.destroy(); connect() }, 50)
    }
  })
}

connect()
// A server that keeps failing (5xx) is retried, but not for ever.
const syncBy = Date.now() + 60_000
while (!synced) {
  if (Date.now() > syncBy) {
    process.stderr.write(`${args.name ?? 'client'}: not synced with ${urls.join(', ')} within 60 s; giving up\n`)
    process.exit(1)
  }
  await sleep(20)
}

const tokens = []
for (let i = 0; i < edits; i++) {
  if (!insertsOnly && text.length > 0 && random() < 0.3) {
    const at = Math.floor(random() * text.length)
    text.delete(at, Math.min(1 + Math.floor(random() * 3), text.length - at))
  } else {
    // Inserts-only mode writes whole tokens at either end, where no other insert can split
    // them, so that the test can find every one of them in the end.
    const token = insertsOnly ? `${args.name}${i};` : String.fromCharCode(97 + Math.floor(random() * 26))
    tokens.push(token)
    const at = insertsOnly ? (random() < 0.5 ? 0 : text.length) : Math.floor(random() * (text.length + 1))
    text.insert(at, token)
  }
  if (paceMs > 0) await sleep(paceMs)
  else if (i % 5 === 0) await sleep(Math.floor(random() * 10))
}

done.set(String(doc.clientID), true)
let lastChange = Date.now()
doc.on('update', () => { lastChange = Date.now() })
const deadline = Date.now() + 30000
while (Date.now() < deadline) {
  if (done.size >= peers && provider?.synced && Date.now() - lastChange > 700) break
  await sleep(50)
}
process.stdout.write(JSON.stringify({ text: text.toString(), tokens, done: done.size }) + '\n')
provider?.destroy()
process.exit(0)
