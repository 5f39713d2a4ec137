// The room's chat: who is online, the messages with sender and time, who is typing, and a box
// to send. Messages of the user's own that wait for the server show as "sending"; refused ones
// say why, with retry and discard.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ChatUser } from './chatLog';
import type { Chat } from './useChat';

const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

function timeOf(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : TIME.format(date);
}

export function ChatPanel({ chat, me, readOnly }: { chat: Chat; me: ChatUser; readOnly: boolean }) {
  const [draft, setDraft] = useState('');
  const list = useRef<HTMLOListElement>(null);
  const count = chat.log.messages.length + chat.log.pending.length;

  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [count]);

  function submit(event?: FormEvent) {
    event?.preventDefault();
    const text = draft.trim();
    if (!text) return;
    chat.send(text);
    setDraft('');
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      submit();
    }
  }

  const others = chat.online.filter((u) => u.id !== me.id);
  return (
    <section className="chat card" aria-labelledby="chat-title">
      <h2 id="chat-title">Chat</h2>
      <p className="hint" data-testid="presence">
        {!chat.connected
          ? 'Chat connecting…'
          : others.length > 0
            ? `Online: ${others.map((u) => u.username).join(', ')}`
            : 'Your peer is not online.'}
      </p>
      <ol className="chat-messages" ref={list} aria-live="polite" data-testid="chat-messages">
        {chat.log.messages.map((m) => (
          <li key={m.id} className={m.sender.id === me.id ? 'mine' : undefined}>
            <span className="chat-sender">{m.sender.id === me.id ? 'You' : m.sender.username}</span>{' '}
            <time dateTime={m.sent_at}>{timeOf(m.sent_at)}</time>
            <p>{m.text}</p>
          </li>
        ))}
        {chat.log.pending.map((p) => (
          <li key={p.client_id} className="mine pending">
            <span className="chat-sender">You</span> <span className="hint">{p.state === 'sending' ? 'sending…' : ''}</span>
            <p>{p.text}</p>
            {p.state === 'failed' && (
              <p className="field-error">
                {p.error}{' '}
                <button type="button" className="link-button" onClick={() => chat.retry(p.client_id)}>
                  Retry
                </button>{' '}
                <button type="button" className="link-button" onClick={() => chat.discard(p.client_id)}>
                  Discard
                </button>
              </p>
            )}
          </li>
        ))}
      </ol>
      <p className="hint chat-typing" aria-live="polite">
        {chat.typing.length > 0 ? `${chat.typing.map((u) => u.username).join(', ')} is typing…` : '\u00a0'}
      </p>
      {!readOnly && (
        <form onSubmit={submit} className="chat-form">
          <label htmlFor="chat-input" className="visually-hidden">
            Message
          </label>
          <textarea
            id="chat-input"
            rows={2}
            maxLength={2000}
            value={draft}
            placeholder="Message (Enter to send, Shift+Enter for a new line)"
            onChange={(e) => {
              setDraft(e.target.value);
              chat.typed();
            }}
            onKeyDown={onKeyDown}
          />
          <button type="submit" disabled={!draft.trim()}>
            Send
          </button>
        </form>
      )}
    </section>
  );
}
