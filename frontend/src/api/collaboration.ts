// The collaboration service's REST part (the shared document is a y-websocket in
// features/session).
import { api } from './index';

export interface SessionInfo {
  status: string;
  language: string;
}

/** Ends the session for both members; the document's `meta.status` tells the peer. */
export function endSession(roomId: string): Promise<SessionInfo> {
  return api.request('POST', `/collaboration-service-api/rooms/${encodeURIComponent(roomId)}/end`);
}

/** A websocket URL on the page's own host, `wss:` under HTTPS. */
export function socketUrl(location: Pick<Location, 'protocol' | 'host'>, path: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${path}`;
}
