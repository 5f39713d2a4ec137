// An attempt's chat, oldest first. The chat service answers newest first, a page at a time;
// "Show earlier messages" fetches the page before the oldest shown and puts it in front.
// A transcript that cannot be read says so here and leaves the rest of the page alone.
import { useEffect, useRef, useState } from 'react';
import { listMessages, type ChatMessage } from '../../api/chat';
import { ApiError, describeError } from '../../api/errors';
import { Alert } from '../../components/Alert';
import { formatDateTime } from './format';
import { withOlderPage } from './transcript';

/** Messages per page; the service allows up to 200. */
export const TRANSCRIPT_PAGE = 50;

interface Shown {
  messages: ChatMessage[];
  /** The `before` of the next older page; null when the oldest message is shown. */
  nextBefore: number | null;
}

function transcriptError(error: unknown): string {
  if (error instanceof ApiError && error.status === 404) {
    return 'The chat of this session could not be found.';
  }
  return describeError(error).message;
}

/** The parent keys this by room, so a new room starts from nothing. */
export function Transcript({ roomId }: { roomId: string }) {
  const [shown, setShown] = useState<Shown | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [olderError, setOlderError] = useState<string | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const list = useRef<HTMLOListElement>(null);

  useEffect(() => {
    let live = true;
    listMessages(roomId, { limit: TRANSCRIPT_PAGE }).then(
      (page) => live && setShown({ messages: withOlderPage([], page.items), nextBefore: page.next_before ?? null }),
      (e: unknown) => live && setError(transcriptError(e)),
    );
    return () => {
      live = false;
    };
  }, [roomId]);

  async function showEarlier() {
    if (!shown || shown.nextBefore === null || loadingOlder) return;
    setLoadingOlder(true);
    setOlderError(null);
    try {
      const page = await listMessages(roomId, { before: shown.nextBefore, limit: TRANSCRIPT_PAGE });
      const nextBefore = page.next_before ?? null;
      setShown({ messages: withOlderPage(shown.messages, page.items), nextBefore });
      const count = page.items.length;
      setAnnouncement(
        `${count} earlier message${count === 1 ? '' : 's'} shown${nextBefore === null ? '; this is the start of the chat' : ''}.`,
      );
      // The button is gone with the last page: keep the keyboard in the transcript.
      if (nextBefore === null) list.current?.focus();
    } catch (e) {
      setOlderError(transcriptError(e));
    } finally {
      setLoadingOlder(false);
    }
  }

  return (
    <section className="transcript" aria-labelledby="transcript-heading">
      <h2 id="transcript-heading">Chat transcript</h2>
      {error && <Alert kind="error">{error}</Alert>}
      {!shown && !error && <p role="status">Loading the chat…</p>}
      {shown && shown.messages.length === 0 && <p>No messages were sent.</p>}
      {shown && shown.messages.length > 0 && (
        <>
          {shown.nextBefore !== null && (
            <p>
              <button type="button" onClick={() => void showEarlier()} disabled={loadingOlder}>
                {loadingOlder ? 'Loading earlier messages…' : 'Show earlier messages'}
              </button>
            </p>
          )}
          {olderError && <Alert kind="error">{olderError}</Alert>}
          <p className="visually-hidden" role="status">
            {announcement}
          </p>
          <ol className="chat-messages transcript-messages" aria-label="Chat messages" ref={list} tabIndex={-1}>
            {shown.messages.map((m) => (
              <li key={m.id}>
                <span className="chat-sender">{m.sender.username}</span>{' '}
                <time dateTime={m.sent_at}>{formatDateTime(m.sent_at)}</time>
                <p>{m.text}</p>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
