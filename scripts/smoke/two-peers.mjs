// A smoke test of a running PeerPrep through its public address (nginx, or the load
// balancer), as two people use it:
//   sign up, log in, list the questions, both join the queue for one question's topic and
//   difficulty and are matched into one room, one edits the code (the stock Yjs client)
//   and the other sees the edit, one sends a chat message and the other receives it.
// Each step prints one line; the first failure ends it with exit code 1 and what went wrong.
//
//   node scripts/smoke/two-peers.mjs http://127.0.0.1:8080 [--timeout-secs 30]
//
// The people are new each run (random emails), so it can run again and again. Websockets
// send Origin: <base URL>, which must be one of the stack's ALLOWED_ORIGINS.
import { randomBytes } from 'node:crypto'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'

const [base, ...rest] = process.argv.slice(2)
if (!base || base.startsWith('-')) {
  console.error('usage: node scripts/smoke/two-peers.mjs <base URL, e.g. http://127.0.0.1:8080> [--timeout-secs N]')
  process.exit(2)
}
const timeoutAt = rest.indexOf('--timeout-secs')
const timeoutMs = 1000 * Number(timeoutAt >= 0 ? rest[timeoutAt + 1] : 30)
const origin = new URL(base).origin
const wsBase = origin.replace(/^http/, 'ws')

const ok = what => console.log(`[two-peers] ok: ${what}`)
function fail (what) {
  console.error(`[two-peers] FAILED: ${what}`)
  process.exit(1)
}
// Nothing may hang: the whole run has a deadline.
setTimeout(() => fail(`not done within ${timeoutMs / 1000} s`), timeoutMs).unref()

async function api (method, path, { token, body } = {}) {
  const headers = { Accept: 'application/json' }
  if (token) headers.Authorization = `Bearer ${token}`
  if (body) headers['Content-Type'] = 'application/json'
  let response
  try {
    response = await fetch(origin + path, { method, headers, body: body && JSON.stringify(body) })
  } catch (error) {
    fail(`${method} ${path}: ${error.cause?.message ?? error.message}`)
  }
  const text = await response.text()
  let json = null
  try { json = JSON.parse(text) } catch {}
  return { status: response.status, json, text }
}

async function expectStatus (want, method, path, options) {
  const answer = await api(method, path, options)
  if (answer.status !== want) fail(`${method} ${path} answered ${answer.status}, not ${want}: ${answer.text.slice(0, 300)}`)
  return answer.json
}

/** Opens a websocket with the bearer token, resolving once it is open. */
function socket (path, token) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsBase + path, { headers: { Authorization: `Bearer ${token}`, Origin: origin } })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_, response) => reject(new Error(`${path}: HTTP ${response.statusCode}`)))
    ws.once('error', reject)
  })
}

/** The next JSON frame on `ws` that `wanted` accepts; an `error` frame fails the test. */
function frame (ws, what, wanted) {
  return new Promise(resolve => {
    const onClose = code => fail(`${what}: the socket closed (${code})`)
    const onMessage = data => {
      const message = JSON.parse(data.toString())
      if (message.type === 'error') fail(`${what}: the server said ${JSON.stringify(message)}`)
      if (wanted(message)) {
        ws.off('message', onMessage)
        ws.off('close', onClose)
        resolve(message)
      }
    }
    ws.on('message', onMessage)
    ws.once('close', onClose)
  })
}

// --- accounts ---
const run = randomBytes(4).toString('hex')
const password = `a smoke test passphrase ${run}`
const people = []
for (const name of ['ada', 'bob']) {
  const email = `smoke-${name}-${run}@example.com`
  const username = `smoke_${name}_${run}`
  await expectStatus(201, 'POST', '/user-service-api/auth/signup', { body: { email, username, password } })
  const login = await expectStatus(200, 'POST', '/user-service-api/auth/login', { body: { email, password } })
  if (!login?.access_token) fail(`the log-in answer has no access_token: ${JSON.stringify(login)}`)
  people.push({ name, username, token: login.access_token })
}
const [ada, bob] = people
ok(`signed up and logged in ${ada.username} and ${bob.username}`)

// --- the question bank ---
const list = await expectStatus(200, 'GET', '/question-service-api/questions?per_page=50', { token: ada.token })
const question = list?.items?.[0]
if (!question) fail(`the question list is empty: ${JSON.stringify(list)}`)
ok(`listed ${list.items.length} questions (${list.total ?? '?'} in all); joining for "${question.title}"`)

// --- matched ---
const join = { type: 'join', topics: [question.topics[0]], difficulty: question.difficulty, language: 'python', relax_difficulty: false, relax_topics: false }
const matched = []
for (const person of people) {
  let ws
  try {
    ws = await socket('/matching-service-api/ws', person.token)
  } catch (error) {
    fail(`the matching websocket: ${error.message}`)
  }
  matched.push(frame(ws, `${person.name} matching`, m => m.type === 'matched').then(m => { ws.close(); return m }))
  ws.send(JSON.stringify(join))
}
const [adaMatch, bobMatch] = await Promise.all(matched)
if (adaMatch.room_id !== bobMatch.room_id) fail(`matched into different rooms: ${adaMatch.room_id}, ${bobMatch.room_id}`)
if (adaMatch.peer.username !== bob.username || bobMatch.peer.username !== ada.username) {
  fail(`matched with someone else: ${adaMatch.peer.username}, ${bobMatch.peer.username}`)
}
const room = adaMatch.room_id
ok(`matched over the websocket: room ${room}, "${adaMatch.question.title}"`)

// --- the editor: the stock Yjs client ---
function editor (person) {
  const doc = new Y.Doc()
  class Authed extends WebSocket {
    constructor (address, protocols) {
      super(address, protocols, { headers: { Authorization: `Bearer ${person.token}`, Origin: origin } })
    }
  }
  const provider = new WebsocketProvider(`${wsBase}/collaboration-service-api/yjs`, room, doc, {
    WebSocketPolyfill: Authed, disableBc: true, maxBackoffTime: 1000
  })
  // The stock client reconnects on its own, as the app does after a 503 "try again shortly"
  // (a membership check that timed out); three failures in a row are a failure.
  let errors = 0
  provider.on('status', ({ status }) => { if (status === 'connected') errors = 0 })
  provider.on('connection-error', () => {
    errors += 1
    if (errors >= 3) fail(`${person.name}'s editor could not connect (3 tries)`)
  })
  const synced = new Promise(resolve => provider.on('sync', isSynced => isSynced && resolve()))
  return { doc, provider, synced, text: doc.getText('code') }
}
const adaEditor = editor(ada)
const bobEditor = editor(bob)
await Promise.all([adaEditor.synced, bobEditor.synced])
const line = `# smoke ${run}\n`
const seen = new Promise(resolve => {
  const check = () => bobEditor.text.toString().includes(line) && resolve()
  bobEditor.text.observe(check)
  check()
})
adaEditor.text.insert(0, line)
await seen
ok(`${ada.name}'s edit reached ${bob.name}'s editor`)
adaEditor.provider.destroy()
bobEditor.provider.destroy()

// --- chat ---
let adaChat, bobChat
try {
  adaChat = await socket(`/chat-service-api/ws/${room}`, ada.token)
  bobChat = await socket(`/chat-service-api/ws/${room}`, bob.token)
} catch (error) {
  fail(`the chat websocket: ${error.message}`)
}
const text = `hello from the smoke test ${run}`
const delivered = frame(bobChat, `${bob.name}'s chat`, m => m.type === 'message' && m.text === text)
adaChat.send(JSON.stringify({ type: 'message', client_id: `smoke-${run}`, text }))
const message = await delivered
if (message.sender.username !== ada.username) fail(`the message names ${message.sender.username} as its sender`)
ok(`${ada.name}'s chat message reached ${bob.name} (id ${message.id})`)
adaChat.terminate()
bobChat.terminate()
console.log('[two-peers] all steps passed')
process.exit(0)
