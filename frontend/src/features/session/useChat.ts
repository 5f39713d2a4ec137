// The room's chat websocket: messages kept by id (chatLog.ts), presence, typing. It reconnects
// with backoff, asking for `?after=<last id>`, and sends again every message still waiting for
// its answer, under the same client id (the server stores each client id once).
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { socketUrl } from '../../api/collaboration';
import { api } from '../../api/index';
import {
  EMPTY_LOG,
  discard,
  lastId,
  parseFrame,
  receive,
  refused,
  retry,
  send,
  toResend,
  type ChatLog,
  type ChatUser,
} from './chatLog';

type Action =
  | { kind: 'receive'; message: Parameters<typeof receive>[1] }
  | { kind: 'send'; clientId: string; text: string }
  | { kind: 'refused'; clientId: string; code: string }
  | { kind: 'retry'; clientId: string }
  | { kind: 'discard'; clientId: string };

function reduce(log: ChatLog, action: Action): ChatLog {
  switch (action.kind) {
    case 'receive':
      return receive(log, action.message);
    case 'send':
      return send(log, action.clientId, action.text);
    case 'refused':
      return refused(log, action.clientId, action.code);
    case 'retry':
      return retry(log, action.clientId);
    case 'discard':
      return discard(log, action.clientId);
  }
}

const TYPING_SHOWN_MS = 4000;
const TYPING_SENT_EVERY_MS = 2000;

export interface Chat {
  log: ChatLog;
  online: ChatUser[];
  typing: ChatUser[];
  connected: boolean;
  send(text: string): void;
  retry(clientId: string): void;
  discard(clientId: string): void;
  typed(): void;
}

export function useChat(roomId: string, me: ChatUser | null): Chat {
  const [log, dispatch] = useReducer(reduce, EMPTY_LOG);
  const [online, setOnline] = useState<ChatUser[]>([]);
  const [typingUntil, setTypingUntil] = useState<Map<string, { user: ChatUser; until: number }>>(new Map());
  const [connected, setConnected] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  const logRef = useRef(log);
  useEffect(() => {
    logRef.current = log;
  }, [log]);
  const socket = useRef<WebSocket | null>(null);
  const lastTypingSent = useRef(0);

  useEffect(() => {
    if (!me || !roomId) return;
    let stopped = false;
    let attempts = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const connect = () => {
      const after = lastId(logRef.current);
      const path = `/chat-service-api/ws/${encodeURIComponent(roomId)}${after === null ? '' : `?after=${after}`}`;
      const ws = new WebSocket(socketUrl(window.location, path));
      socket.current = ws;
      let opened = false;
      ws.onopen = () => {
        opened = true;
        attempts = 0;
        setConnected(true);
        for (const p of toResend(logRef.current)) {
          ws.send(JSON.stringify({ type: 'message', client_id: p.client_id, text: p.text }));
        }
      };
      ws.onmessage = (event) => {
        if (typeof event.data !== 'string') return;
        const frame = parseFrame(event.data);
        if (!frame) return;
        if (frame.type === 'message') dispatch({ kind: 'receive', message: frame.message });
        else if (frame.type === 'presence') setOnline(frame.online);
        else if (frame.type === 'typing') {
          if (frame.user.id === me.id) return;
          const until = Date.now() + TYPING_SHOWN_MS;
          setTypingUntil((prev) => new Map(prev).set(frame.user.id, { user: frame.user, until }));
        } else if (frame.clientId) dispatch({ kind: 'refused', clientId: frame.clientId, code: frame.code });
      };
      ws.onclose = () => {
        if (socket.current === ws) socket.current = null;
        setConnected(false);
        setOnline([]);
        if (stopped) return;
        // An upgrade refused for an expired cookie cannot refresh itself: refresh through the
        // HTTP client before the next attempt.
        if (!opened) void api.refresh().catch(() => undefined);
        attempts += 1;
        timer = setTimeout(connect, Math.min(10_000, 250 * 2 ** Math.min(attempts, 6)));
      };
    };
    // The browser knows when the network goes: drop the socket at once (the page then says
    // the chat is connecting) and try again as soon as it is back.
    const goOffline = () => socket.current?.close();
    const goOnline = () => {
      if (socket.current || stopped) return;
      clearTimeout(timer);
      attempts = 0;
      connect();
    };
    window.addEventListener('offline', goOffline);
    window.addEventListener('online', goOnline);
    connect();
    return () => {
      stopped = true;
      window.removeEventListener('offline', goOffline);
      window.removeEventListener('online', goOnline);
      clearTimeout(timer);
      socket.current?.close();
      socket.current = null;
    };
  }, [roomId, me]);

  // Typing notes fade after a few seconds without a new one.
  const anyTyping = typingUntil.size > 0;
  useEffect(() => {
    if (!anyTyping) return;
    const tick = setInterval(() => {
      const t = Date.now();
      setNow(t);
      setTypingUntil((prev) => {
        const next = new Map([...prev].filter(([, v]) => v.until > t));
        return next.size === prev.size ? prev : next;
      });
    }, 1000);
    return () => clearInterval(tick);
  }, [anyTyping]);

  const sendMessage = useCallback((text: string) => {
    const clientId = crypto.randomUUID();
    dispatch({ kind: 'send', clientId, text });
    const ws = socket.current;
    if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'message', client_id: clientId, text }));
  }, []);

  const retryMessage = useCallback((clientId: string) => {
    const pending = logRef.current.pending.find((p) => p.client_id === clientId);
    dispatch({ kind: 'retry', clientId });
    const ws = socket.current;
    if (pending && ws?.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify({ type: 'message', client_id: clientId, text: pending.text }));
    }
  }, []);

  const discardMessage = useCallback((clientId: string) => dispatch({ kind: 'discard', clientId }), []);

  const typed = useCallback(() => {
    const ws = socket.current;
    if (ws?.readyState !== WebSocket.OPEN || Date.now() - lastTypingSent.current < TYPING_SENT_EVERY_MS) return;
    lastTypingSent.current = Date.now();
    ws.send(JSON.stringify({ type: 'typing' }));
  }, []);

  const typing = [...typingUntil.values()].filter((v) => v.until > now).map((v) => v.user);
  return {
    log,
    online,
    typing,
    connected,
    send: sendMessage,
    retry: retryMessage,
    discard: discardMessage,
    typed,
  };
}
