// One attempt: the question as it was, who it was with, when and how it ended, the final code
// read-only, and the chat transcript. The transcript is read from the chat service on its
// own, so a transcript that cannot be read leaves the rest of the page working.
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError, describeError } from '../../api/errors';
import { getAttempt, type Attempt } from '../../api/history';
import { topicLabel } from '../../api/questions';
import { Alert } from '../../components/Alert';
import { usePageTitle } from '../../components/usePageTitle';
import { languageName } from '../matching/languages';
import { DifficultyBadge } from '../questions/DifficultyBadge';
import { CodeViewer } from './CodeViewer';
import { formatDateTime, formatDuration, outcomeLabel } from './format';
import { Transcript } from './Transcript';
import './history.css';

export const NOT_FOUND = 'This attempt was not found.';

/** What the page holds for the id in the address: the attempt, or why there is none. */
type Loaded = { id: string; attempt: Attempt } | { id: string; error: string; notFound: boolean };

export function AttemptPage() {
  const { attemptId = '' } = useParams();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  // A previous id's answer is not shown while the next one loads.
  const current = loaded?.id === attemptId ? loaded : null;
  const attempt = current && 'attempt' in current ? current.attempt : null;
  usePageTitle(attempt ? `Attempt: ${attempt.question.title}` : 'Attempt');

  useEffect(() => {
    let live = true;
    getAttempt(attemptId).then(
      (a) => live && setLoaded({ id: attemptId, attempt: a }),
      (e: unknown) => {
        if (!live) return;
        // A malformed id (400) is as missing as an unknown one.
        const notFound = e instanceof ApiError && (e.status === 404 || e.status === 400);
        setLoaded({ id: attemptId, error: notFound ? NOT_FOUND : describeError(e).message, notFound });
      },
    );
    return () => {
      live = false;
    };
  }, [attemptId]);

  return (
    <section className="attempt">
      <p>
        <Link to="/history">← All attempts</Link>
      </p>
      {!current && (
        <>
          <h1>Attempt</h1>
          <p role="status">Loading the attempt…</p>
        </>
      )}
      {current && 'error' in current && (
        <>
          <h1>{current.notFound ? 'Attempt not found' : 'Attempt'}</h1>
          <Alert kind="error">{current.error}</Alert>
        </>
      )}
      {attempt && <AttemptView attempt={attempt} />}
    </section>
  );
}

function AttemptView({ attempt }: { attempt: Attempt }) {
  const { question } = attempt;
  const language = languageName(attempt.language);
  return (
    <>
      <h1>{question.title}</h1>
      <div className="meta">
        <DifficultyBadge difficulty={question.difficulty} />
        {question.topics.length > 0 && <span>{question.topics.map(topicLabel).join(', ')}</span>}
        <Link to={`/questions/${encodeURIComponent(question.id)}`}>Open the question</Link>
      </div>
      <dl className="attempt-facts">
        <div>
          <dt>Peer</dt>
          <dd>{attempt.peer ? attempt.peer.username : 'No peer recorded'}</dd>
        </div>
        <div>
          <dt>Language</dt>
          <dd>{language}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>
            <time dateTime={attempt.started_at}>{formatDateTime(attempt.started_at)}</time>
          </dd>
        </div>
        <div>
          <dt>Ended</dt>
          <dd>
            <time dateTime={attempt.ended_at}>{formatDateTime(attempt.ended_at)}</time>
          </dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(attempt.duration_secs)}</dd>
        </div>
        <div>
          <dt>Outcome</dt>
          <dd>
            <span className={`badge outcome-${attempt.outcome}`}>{outcomeLabel(attempt.outcome)}</span>
          </dd>
        </div>
      </dl>

      <section aria-labelledby="code-heading">
        <h2 id="code-heading">Final code</h2>
        {attempt.code.trim() === '' ? (
          <p>No code was written.</p>
        ) : (
          <CodeViewer code={attempt.code} language={attempt.language} label={`Final code (${language})`} />
        )}
      </section>

      <Transcript key={attempt.room_id} roomId={attempt.room_id} />
    </>
  );
}
