//! The collaboration service with real clients: `yrs` documents speaking y-websocket over
//! real websockets, and the stock JavaScript `yjs` + `y-websocket` clients under Node.

mod commit_fanout;
mod editing;
mod helpers;
mod limits;
mod lost_fanout;
mod session;
mod session_facts;
mod settling;
mod stock_clients;
