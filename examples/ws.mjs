// The README's websocket client for the JSON websockets (matching and chat): connects with a
// bearer token, sends each --send frame, prints every frame it receives (one JSON per line)
// and exits once a frame of type --until has arrived, or after --wait seconds.
//
//   node examples/ws.mjs URL --token JWT [--send JSON]... [--until TYPE] [--wait SECONDS]
//
// Exit status: 0 done (the --until frame arrived, or the wait ended when none was asked
// for); 1 the wait ended without it, or the connection failed; 2 the server refused the
// websocket (401, 403, 404, 400), which retrying cannot mend: the message says why.
import WebSocket from 'ws'

const argv = process.argv.slice(2)
const options = { send: [] }
let url = null
for (let i = 0; i < argv.length; i++) {
  const [name, value] = [argv[i], argv[i + 1]]
  if (name === '--send') { options.send.push(value); i++ } else if (name.startsWith('--')) { options[name.slice(2)] = value; i++ } else url = name
}
const fail = (status, message) => { process.stderr.write(`ws.mjs: ${message}\n`); process.exit(status) }
if (!url || !options.token) fail(2, 'usage: node examples/ws.mjs URL --token JWT [--send JSON]... [--until TYPE] [--wait SECONDS]')
const waitSecs = Number(options.wait ?? 10)

const WHY = {
  400: 'the request is not a websocket upgrade the server accepts (a bad query parameter?)',
  401: 'the token is missing, expired (access tokens last 15 minutes: log in again) or from a session that ended',
  403: 'you may not open this (not a member of the room, or an Origin that is not allowed)',
  404: 'there is no such room or path'
}

const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${options.token}` } })
ws.on('unexpected-response', (request, response) => {
  let body = ''
  response.on('data', chunk => { body += chunk })
  response.on('end', () => {
    const code = (() => { try { return JSON.parse(body).error.code } catch { return '' } })()
    const why = WHY[response.statusCode] ?? 'the server did not upgrade the connection (try again)'
    fail(WHY[response.statusCode] ? 2 : 1, `${url} refused: ${response.statusCode}${code ? ` ${code}` : ''}: ${why}`)
  })
})
ws.on('error', err => fail(1, `${url}: ${err.message}`))
let seen = false
ws.on('open', () => { for (const frame of options.send) ws.send(frame) })
ws.on('message', data => {
  const text = data.toString()
  console.log(text)
  try { seen ||= JSON.parse(text).type === options.until } catch {}
  if (seen) ws.close(1000)
})
ws.on('close', (code, reason) => {
  if (code !== 1000 && code !== 1005) process.stderr.write(`ws.mjs: closed by the server: ${code} ${reason}\n`)
  process.exit(options.until && !seen ? 1 : 0)
})
setTimeout(() => {
  if (options.until) process.stderr.write(`ws.mjs: no "${options.until}" within ${waitSecs} s\n`)
  ws.close(1000)
}, waitSecs * 1000)
