// The room a match opened: the question beside the shared editor (CodeMirror on Yjs), the
// language picker on the document's `meta.language`, the connection state, the chat, and
// "End session" for either member; when the document says `ended`, both see it.
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { endSession } from '../../api/collaboration';
import { ApiError, describeError } from '../../api/errors';
import { getRoom, type Room } from '../../api/matching';
import { getQuestion, type Question } from '../../api/questions';
import { Alert } from '../../components/Alert';
import { usePageTitle } from '../../components/usePageTitle';
import { useAuth } from '../auth/AuthContext';
import { LANGUAGES, languageName } from '../matching/languages';
import { QuestionView } from '../questions/QuestionView';
import { ChatPanel } from './ChatPanel';
import { CodeEditor } from './CodeEditor';
import { connectionLabel } from './connection';
import { useChat } from './useChat';
import { setSharedLanguage, useSharedDoc } from './useSharedDoc';

export function SessionPage() {
  const { roomId = '' } = useParams();
  const { user } = useAuth();
  const [room, setRoom] = useState<Room | null>(null);
  const [question, setQuestion] = useState<Question | null>(null);
  const [error, setError] = useState<string | null>(null);
  usePageTitle(room ? `Session: ${room.question.title}` : 'Session');

  useEffect(() => {
    let live = true;
    getRoom(roomId)
      .then((r) => {
        if (!live) return;
        setRoom(r);
        return getQuestion(r.question.slug ?? r.question.id).then((q) => live && setQuestion(q));
      })
      .catch((e: unknown) => {
        if (!live) return;
        // A room that is not yours is a 404 too: say the same either way.
        setError(
          e instanceof ApiError && (e.status === 404 || e.status === 400)
            ? 'This room does not exist, or you are not one of its members.'
            : describeError(e).message,
        );
      });
    return () => {
      live = false;
    };
  }, [roomId]);

  return (
    <section className="session">
      {error && (
        <>
          <h1>Session</h1>
          <Alert kind="error">{error}</Alert>
          <p>
            <Link to="/">Back to matching</Link>
          </p>
        </>
      )}
      {!room && !error && <p role="status">Opening the room…</p>}
      {room && user && <RoomView room={room} question={question} me={user} />}
    </section>
  );
}

function RoomView({ room, question, me }: { room: Room; question: Question | null; me: { id: string; username: string } }) {
  // One identity object per user, so the sockets are not reopened on every render.
  const self = useMemo(() => ({ id: me.id, username: me.username }), [me.id, me.username]);
  const doc = useSharedDoc(room.id, self);
  const chat = useChat(room.id, self);
  const [ending, setEnding] = useState(false);
  const [endError, setEndError] = useState<string | null>(null);
  const [endedHere, setEndedHere] = useState(false);

  const ended = doc.status === 'ended' || endedHere || room.status === 'ended';
  const language = doc.language ?? room.language;
  const peer = room.members.find((m) => m.id !== me.id);

  // Leaving with edits the server has not had would lose them: ask first.
  const unsynced = doc.unsynced;
  useEffect(() => {
    if (!unsynced) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [unsynced]);

  async function end() {
    if (!window.confirm('End this session for both of you? The code is saved to your history.')) return;
    setEnding(true);
    setEndError(null);
    try {
      await endSession(room.id);
      setEndedHere(true);
    } catch (e) {
      setEndError(describeError(e).message);
    } finally {
      setEnding(false);
    }
  }

  return (
    <>
      <div className="session-bar">
        <p className="session-meta">
          With <strong>{peer?.username ?? 'your peer'}</strong>
        </p>
        <p className={`connection connection-${doc.connection}`} role="status" data-testid="connection">
          {connectionLabel(doc.connection)}
        </p>
        <div className="language-picker">
          <label htmlFor="session-language">Language</label>
          <select
            id="session-language"
            value={language}
            disabled={ended || !doc.shared}
            onChange={(e) => doc.shared && setSharedLanguage(doc.shared, e.target.value)}
          >
            {LANGUAGES.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
            {!LANGUAGES.some((l) => l.id === language) && <option value={language}>{languageName(language)}</option>}
          </select>
        </div>
        {!ended && (
          <button type="button" onClick={() => void end()} disabled={ending}>
            {ending ? 'Ending…' : 'End session'}
          </button>
        )}
      </div>
      {endError && <Alert kind="error">{endError}</Alert>}
      {ended && (
        <Alert kind="info">
          The session has ended. Your code and the chat are saved: see them in <Link to="/history">your history</Link>.
        </Alert>
      )}
      <div className="session-grid">
        <div className="session-question">
          {question ? <QuestionView question={question} headingLevel={1} /> : <h1>{room.question.title}</h1>}
        </div>
        <div className="session-work">
          {doc.shared ? (
            <CodeEditor
              text={doc.shared.text}
              awareness={doc.shared.provider.awareness}
              language={language}
              readOnly={ended}
            />
          ) : (
            <p role="status">Opening the editor…</p>
          )}
          <ChatPanel chat={chat} me={self} readOnly={ended} />
        </div>
      </div>
    </>
  );
}
