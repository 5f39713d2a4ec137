// The matching service's REST part (the websocket lives in features/matching).
import { api } from './index';
import type { Difficulty } from './questions';

export interface Room {
  id: string;
  members: { id: string; username: string }[];
  question: { id: string; slug?: string; title: string; difficulty: Difficulty; topics: string[] };
  language: string;
  status: string;
  created_at: string;
}

export function getRoom(id: string): Promise<Room> {
  return api.request('GET', `/matching-service-api/rooms/${encodeURIComponent(id)}`);
}

/** The websocket's URL on the page's own host, `wss:` under HTTPS. */
export function matchingSocketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/matching-service-api/ws`;
}
