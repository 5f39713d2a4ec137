// The matching websocket, feeding the pure state machine in machine.ts. One socket per
// search: opened on start, closed once the answer is final (or when the page goes away, which
// takes the user out of the queue). A process stopped mid-search (1012) is answered by a new
// socket that joins again (shouldRejoin), so a deploy does not end anyone's wait.
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { me } from '../../api/user';
import { matchingSocketUrl } from '../../api/matching';
import {
  initialState,
  isActive,
  joinFrame,
  parseServerMessage,
  reduce,
  shouldRejoin,
  type JoinRequest,
} from './machine';

export function useMatching() {
  const [state, dispatch] = useReducer(reduce, initialState);
  const socket = useRef<WebSocket | null>(null);
  // Set from the click until the socket exists, so a double click opens one socket.
  const starting = useRef(false);
  const cancelledWhileStarting = useRef(false);
  // The state as the socket's callbacks must see it (they outlive the render that made them).
  const current = useRef(state);
  useEffect(() => {
    current.current = state;
  }, [state]);
  const rejoins = useRef(0);
  const rejoinTimer = useRef<number | undefined>(undefined);

  const open = useCallback((request: JoinRequest) => {
    const connect = () => {
      const ws = new WebSocket(matchingSocketUrl(window.location));
      socket.current = ws;
      ws.onopen = () => ws.send(joinFrame(request));
      ws.onmessage = (event: MessageEvent<unknown>) => {
        if (socket.current !== ws || typeof event.data !== 'string') return;
        const message = parseServerMessage(event.data);
        if (message) dispatch({ type: 'server', message, now: Date.now() });
      };
      ws.onclose = (event) => {
        if (socket.current !== ws) return;
        if (shouldRejoin(current.current, event.code, rejoins.current)) {
          rejoins.current += 1;
          // Spread out, so a restart does not bring every waiting user back in one instant.
          rejoinTimer.current = window.setTimeout(() => {
            if (socket.current === ws) connect();
          }, 200 + Math.random() * 800);
          return;
        }
        socket.current = null;
        dispatch({ type: 'closed', code: event.code, reason: event.reason });
      };
    };
    connect();
  }, []);

  const start = useCallback(async (request: JoinRequest) => {
    if (socket.current || starting.current) return;
    starting.current = true;
    cancelledWhileStarting.current = false;
    rejoins.current = 0;
    dispatch({ type: 'start', request });
    try {
      // The upgrade cannot refresh an expired access cookie; a call through the client can.
      await me();
    } catch {
      starting.current = false;
      dispatch({ type: 'closed', code: 1006, reason: '' });
      return;
    }
    starting.current = false;
    if (cancelledWhileStarting.current) {
      // Cancelled before the socket existed: nothing was joined; the close ends the cancel.
      dispatch({ type: 'closed', code: 1000, reason: '' });
      return;
    }
    open(request);
  }, [open]);

  const cancel = useCallback(() => {
    const ws = socket.current;
    dispatch({ type: 'cancel' });
    if (!ws) {
      if (starting.current) cancelledWhileStarting.current = true;
      return;
    }
    if (ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify({ type: 'cancel' }));
    } else if (ws.readyState === WebSocket.CLOSED) {
      // Waiting to rejoin after a restart: nothing is queued, so the cancel is done.
      window.clearTimeout(rejoinTimer.current);
      socket.current = null;
      dispatch({ type: 'closed', code: 1000, reason: '' });
    } else {
      ws.close(1000);
    }
  }, []);

  const reset = useCallback(() => dispatch({ type: 'reset' }), []);

  // A final answer closes the socket; ours, so its close event is not news.
  useEffect(() => {
    if (!isActive(state) && socket.current) {
      const ws = socket.current;
      socket.current = null;
      ws.close(1000);
    }
  }, [state]);

  useEffect(
    () => () => {
      // Leaving the page: a search still starting must not open a socket afterwards.
      cancelledWhileStarting.current = true;
      window.clearTimeout(rejoinTimer.current);
      const ws = socket.current;
      socket.current = null;
      ws?.close(1000);
    },
    [],
  );

  return { state, start, cancel, reset };
}

/** The current time, ticking while `running`. */
export function useNow(running: boolean, everyMs = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [running, everyMs]);
  return now;
}
