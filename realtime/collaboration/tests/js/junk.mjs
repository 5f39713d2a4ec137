// A stock Yjs client (yjs + y-websocket's WebsocketProvider, unchanged) writing what the
// editor would not: any `meta` value, and as much code as asked. It waits, then prints the
// `meta` it ends up seeing and the length of the code. Used by the Rust tests in ../api/.
//
//   node junk.mjs --url ws://…/yjs --room ID --token JWT [--meta key=value]… [--code-chars N]
//                 [--wait-ms 1500]
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'

const argv = process.argv.slice(2)
const value = name => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : undefined }
const metas = argv.flatMap((arg, i) => arg === '--meta' ? [argv[i + 1]] : [])
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

class AuthedWebSocket extends WebSocket {
  constructor (address, protocols) {
    super(address, protocols, { headers: { Authorization: `Bearer ${value('token')}` } })
  }
}

const doc = new Y.Doc()
const provider = new WebsocketProvider(value('url'), value('room'), doc, {
  WebSocketPolyfill: AuthedWebSocket,
  disableBc: true
})
const deadline = Date.now() + 10000
while (!provider.synced && Date.now() < deadline) await sleep(20)
if (!provider.synced) { process.stderr.write('never synced\n'); process.exit(1) }

const meta = doc.getMap('meta')
doc.transact(() => {
  for (const pair of metas) {
    const at = pair.indexOf('=')
    meta.set(pair.slice(0, at), pair.slice(at + 1))
  }
  const chars = Number(value('code-chars') ?? 0)
  if (chars > 0) doc.getText('code').insert(0, 'x'.repeat(chars))
})
await sleep(Number(value('wait-ms') ?? 1500))
process.stdout.write(JSON.stringify({
  meta: meta.toJSON(),
  code_length: doc.getText('code').length,
  connected: provider.wsconnected
}) + '\n')
provider.destroy()
process.exit(0)
