// The room's shared document: a Yjs doc on the collaboration service's y-websocket, with the
// code (`code`), the room's language and status (`meta`), and this user's awareness entry
// (name and colour, so the peer sees the cursor as theirs). It also tracks the connection for
// the page: edits made while not synced are "unsynced" until a sync carries them.
import { useEffect, useState } from 'react';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { socketUrl } from '../../api/collaboration';
import { api } from '../../api/index';
import { connectionView, type ConnectionFacts, type ConnectionView } from './connection';
import { userColor } from './connection';

export interface SharedDoc {
  doc: Y.Doc;
  provider: WebsocketProvider;
  text: Y.Text;
  meta: Y.Map<unknown>;
}

export interface SharedDocState {
  shared: SharedDoc | null;
  language: string | null;
  status: string | null;
  connection: ConnectionView;
  unsynced: boolean;
}

const INITIAL_FACTS: ConnectionFacts = { status: 'connecting', synced: false, everSynced: false, unsynced: false };

export function useSharedDoc(roomId: string, me: { id: string; username: string } | null): SharedDocState {
  const [shared, setShared] = useState<SharedDoc | null>(null);
  const [facts, setFacts] = useState<ConnectionFacts>(INITIAL_FACTS);
  const [meta, setMeta] = useState<{ language: string | null; status: string | null }>({
    language: null,
    status: null,
  });

  useEffect(() => {
    if (!me || !roomId) return;
    const doc = new Y.Doc();
    const url = socketUrl(window.location, '/collaboration-service-api/yjs');
    const provider = new WebsocketProvider(url, roomId, doc, { disableBc: true });
    const text = doc.getText('code');
    const metaMap = doc.getMap<unknown>('meta');
    provider.awareness.setLocalStateField('user', { name: me.username, ...userColor(me.id) });

    let current: ConnectionFacts = INITIAL_FACTS;
    const update = (next: Partial<ConnectionFacts>) => {
      current = { ...current, ...next };
      setFacts(current);
    };
    provider.on('status', ({ status }) => update({ status, synced: provider.synced }));
    provider.on('sync', (synced: boolean) =>
      update(synced ? { synced, everSynced: true, unsynced: false } : { synced }),
    );
    doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin !== provider && !(provider.wsconnected && provider.synced) && !current.unsynced) {
        update({ unsynced: true });
      }
    });
    // A websocket upgrade cannot refresh an expired access cookie: when connecting fails,
    // refresh through the HTTP client (at most once every 20 s) so the next attempt carries a
    // fresh one.
    let lastRefresh = 0;
    provider.on('connection-close', () => {
      if (!provider.synced && Date.now() - lastRefresh > 20_000) {
        lastRefresh = Date.now();
        void api.refresh().catch(() => undefined);
      }
    });

    // When the browser knows the network is gone, say so at once rather than after the
    // provider's 30 s silence check; reconnect as soon as it is back.
    const goOffline = () => provider.disconnect();
    const goOnline = () => provider.connect();
    window.addEventListener('offline', goOffline);
    window.addEventListener('online', goOnline);

    const readMeta = () => {
      const language = metaMap.get('language');
      const status = metaMap.get('status');
      setMeta({
        language: typeof language === 'string' ? language : null,
        status: typeof status === 'string' ? status : null,
      });
    };
    metaMap.observe(readMeta);
    readMeta();
    // The doc and provider are the external system this effect opens; the page renders from
    // them, so they are handed to state once they exist.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setShared({ doc, provider, text, meta: metaMap });
    return () => {
      setShared(null);
      setFacts(INITIAL_FACTS);
      window.removeEventListener('offline', goOffline);
      window.removeEventListener('online', goOnline);
      provider.destroy();
      doc.destroy();
    };
  }, [roomId, me]);

  return { shared, ...meta, connection: connectionView(facts), unsynced: facts.unsynced };
}

/** Either member may set the room's language; the server puts back one it does not support,
 * and the picker follows the document. */
export function setSharedLanguage(shared: SharedDoc, language: string): void {
  shared.meta.set('language', language);
}
