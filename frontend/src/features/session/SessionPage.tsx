// The room a match opened. For now it shows the room and its question; the editor and the
// chat come next.
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError, describeError } from '../../api/errors';
import { getRoom, type Room } from '../../api/matching';
import { getQuestion, type Question } from '../../api/questions';
import { Alert } from '../../components/Alert';
import { usePageTitle } from '../../components/usePageTitle';
import { useAuth } from '../auth/AuthContext';
import { languageName } from '../matching/languages';
import { QuestionView } from '../questions/QuestionView';

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

  const peer = room?.members.find((m) => m.id !== user?.id);

  return (
    <section>
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
      {room && (
        <>
          <p className="session-meta">
            With <strong>{peer?.username ?? 'your peer'}</strong> · {languageName(room.language)} ·{' '}
            {room.status === 'ended' ? 'ended' : 'in progress'}
          </p>
          {question ? (
            <QuestionView question={question} />
          ) : (
            <h1>{room.question.title}</h1>
          )}
          <p className="hint">The shared editor and chat for this room are coming next.</p>
        </>
      )}
    </section>
  );
}
