// What the page says about the shared document's connection, pure so each case is tested.
// The provider reports its socket (`status`) and whether the server's state has arrived since
// it connected (`synced`); the page counts local edits made while not synced as unsynced
// until the next sync carries them.

export type ConnectionView = 'connecting' | 'connected' | 'reconnecting' | 'offline-unsynced';

export interface ConnectionFacts {
  status: 'connecting' | 'connected' | 'disconnected';
  synced: boolean;
  /** The provider has been synced at least once on this page. */
  everSynced: boolean;
  /** Local edits made while not synced, not yet carried by a sync. */
  unsynced: boolean;
}

export function connectionView(f: ConnectionFacts): ConnectionView {
  if (f.status === 'connected' && f.synced) return 'connected';
  if (f.unsynced) return 'offline-unsynced';
  return f.everSynced ? 'reconnecting' : 'connecting';
}

export function connectionLabel(view: ConnectionView): string {
  switch (view) {
    case 'connecting':
      return 'Connecting…';
    case 'connected':
      return 'Connected';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'offline-unsynced':
      return 'Offline: your latest edits are not saved yet; they will be sent when the connection is back.';
  }
}

/** A steady colour per user, so a peer's cursor keeps its colour across reloads. */
const PALETTE = ['#d7263d', '#1b998b', '#2e86ab', '#c45ab3', '#f46036', '#5c6bc0', '#2a9d8f', '#8d6e63'];

export function userColor(userId: string): { color: string; colorLight: string } {
  let hash = 0;
  for (const ch of userId) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const color = PALETTE[hash % PALETTE.length] as string;
  return { color, colorLight: `${color}33` };
}
