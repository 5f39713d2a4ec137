// A transcript as the attempt page shows it. The chat service answers newest first, a page
// at a time (`before` = the previous page's `next_before`); the page shows the conversation
// oldest first, so each older page is put in front of what is shown.
import type { ChatMessage } from '../../api/chat';

/** `shown` (oldest first) with an older `page` (as the service sent it, newest first) in
 * front: in id order, each id once even if pages overlap. */
export function withOlderPage(shown: readonly ChatMessage[], page: readonly ChatMessage[]): ChatMessage[] {
  const byId = new Map<number, ChatMessage>();
  for (const message of [...page, ...shown]) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}
