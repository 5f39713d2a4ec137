import { expect, it } from 'vitest';
import type { ChatMessage } from '../../api/chat';
import { withOlderPage } from './transcript';

const message = (id: number): ChatMessage => ({
  id,
  client_id: `c${id}`,
  sender: { id: 'u1', username: 'ada' },
  text: `message ${id}`,
  sent_at: '2025-06-01T10:00:00Z',
});
const ids = (messages: ChatMessage[]) => messages.map((m) => m.id);

it('shows the first page, sent newest first, oldest first', () => {
  expect(ids(withOlderPage([], [message(3), message(2), message(1)]))).toEqual([1, 2, 3]);
});

it('puts an older page in front of what is shown', () => {
  const shown = withOlderPage([], [message(6), message(5), message(4)]);
  expect(ids(withOlderPage(shown, [message(3), message(2), message(1)]))).toEqual([1, 2, 3, 4, 5, 6]);
});

it('keeps each message once when pages overlap', () => {
  const shown = withOlderPage([], [message(5), message(4)]);
  expect(ids(withOlderPage(shown, [message(4), message(3)]))).toEqual([3, 4, 5]);
});

it('leaves what is shown alone when the older page is empty', () => {
  const shown = withOlderPage([], [message(2), message(1)]);
  expect(withOlderPage(shown, [])).toEqual(shown);
});
