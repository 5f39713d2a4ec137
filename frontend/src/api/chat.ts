// The chat service's REST part: a room's stored transcript (the live chat is a websocket in
// features/session).
import { api } from './index';
import { query } from './client';
import type { PublicProfile } from './user';

/** A member as the chat names them. */
export type ChatUser = PublicProfile;

/** A stored message (`ChatMessage` in the chat service). */
export interface ChatMessage {
  /** 1, 2, 3, … per room: the order every member saw. */
  id: number;
  client_id: string;
  sender: ChatUser;
  text: string;
  sent_at: string;
}

/** A page of a room's messages, newest first. */
export interface MessagePage {
  items: ChatMessage[];
  /** Pass as `before` for the next (older) page; absent on the last page. */
  next_before?: number | null;
}

export interface MessagePageRequest {
  /** Only messages with a smaller id: the previous page's `next_before`. */
  before?: number;
  /** 1 to 200; the service's default is 50. */
  limit?: number;
}

/** The room's transcript for its members (and admins); 404 for anyone else. */
export function listMessages(roomId: string, request: MessagePageRequest = {}): Promise<MessagePage> {
  const params = query({ before: request.before, limit: request.limit });
  return api.request('GET', `/chat-service-api/rooms/${encodeURIComponent(roomId)}/messages${params}`);
}
