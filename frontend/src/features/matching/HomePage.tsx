import { useEffect, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { DIFFICULTIES, listTopics, topicLabel, type Difficulty, type Topic } from '../../api/questions';
import { Alert } from '../../components/Alert';
import { usePageTitle } from '../../components/usePageTitle';
import { useAuth } from '../auth/AuthContext';
import { LANGUAGES } from './languages';
import { isActive, type ActiveState, type JoinRequest } from './machine';
import { Outcome, WaitingPanel } from './MatchPanels';
import { useMatching, useNow } from './useMatching';

const MAX_TOPICS = 5;

export function HomePage() {
  usePageTitle('Practise with a peer');
  const { user, sessionEnded } = useAuth();
  const navigate = useNavigate();
  const { state, start, cancel, reset } = useMatching();

  useEffect(() => {
    if (state.kind === 'matched') navigate(`/session/${state.room.roomId}`);
    if (state.kind === 'failed' && state.signedOut) sessionEnded('ended');
  }, [state, navigate, sessionEnded]);

  return (
    <section>
      <h1>Practise with a peer</h1>
      <p>Hello {user?.username}. Choose what to practise and we will pair you with someone who wants the same.</p>
      {isActive(state) ? (
        <Waiting state={state} onCancel={cancel} />
      ) : (
        <>
          <Outcome state={state} onRetry={(request) => void start(request)} onDismiss={reset} />
          <MatchForm
            disabled={state.kind === 'matched'}
            initial={'request' in state ? state.request : null}
            onStart={(request) => void start(request)}
          />
        </>
      )}
    </section>
  );
}

function Waiting({ state, onCancel }: { state: ActiveState; onCancel(): void }) {
  const now = useNow(true);
  return <WaitingPanel state={state} now={now} onCancel={onCancel} />;
}

function MatchForm(props: { disabled: boolean; initial: JoinRequest | null; onStart(request: JoinRequest): void }) {
  const [topics, setTopics] = useState<Topic[] | null>(null);
  const [topicsError, setTopicsError] = useState(false);
  const [chosen, setChosen] = useState<string[]>(props.initial?.topics ?? []);
  const [difficulty, setDifficulty] = useState<Difficulty>(props.initial?.difficulty ?? 'easy');
  const [language, setLanguage] = useState(props.initial?.language ?? 'python');
  const [relaxDifficulty, setRelaxDifficulty] = useState(props.initial?.relaxDifficulty ?? true);
  const [relaxTopics, setRelaxTopics] = useState(props.initial?.relaxTopics ?? true);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    listTopics().then(setTopics, () => setTopicsError(true));
  }, []);

  function toggle(topic: string) {
    setChosen((now) => (now.includes(topic) ? now.filter((t) => t !== topic) : [...now, topic]));
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (chosen.length === 0) return setError('Choose at least one topic.');
    if (chosen.length > MAX_TOPICS) return setError(`Choose at most ${MAX_TOPICS} topics.`);
    setError(null);
    props.onStart({ topics: chosen, difficulty, language, relaxDifficulty, relaxTopics });
  }

  return (
    <form onSubmit={onSubmit} className="card match-form" noValidate>
      <fieldset aria-describedby={error ? 'topics-error' : undefined}>
        <legend>Topics (up to {MAX_TOPICS})</legend>
        {topicsError && <Alert kind="error">The topics could not be loaded. Please reload the page.</Alert>}
        {!topics && !topicsError && <p role="status">Loading topics…</p>}
        <div className="topic-grid">
          {topics?.map((t) => (
            <label key={t.topic} className="check">
              <input type="checkbox" checked={chosen.includes(t.topic)} onChange={() => toggle(t.topic)} />
              {topicLabel(t.topic)}
            </label>
          ))}
        </div>
        {error && (
          <p id="topics-error" className="field-error" role="alert">
            {error}
          </p>
        )}
      </fieldset>
      <fieldset>
        <legend>Difficulty</legend>
        <div className="inline">
          {DIFFICULTIES.map((d) => (
            <label key={d} className="check">
              <input type="radio" name="difficulty" value={d} checked={difficulty === d} onChange={() => setDifficulty(d)} />
              {d}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor="language">Language</label>
        <select id="language" value={language} onChange={(e) => setLanguage(e.target.value)}>
          {LANGUAGES.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </select>
      </div>
      <fieldset>
        <legend>If nobody is found quickly</legend>
        <label className="check">
          <input type="checkbox" checked={relaxDifficulty} onChange={(e) => setRelaxDifficulty(e.target.checked)} />
          Also accept a neighbouring difficulty
        </label>
        <label className="check">
          <input type="checkbox" checked={relaxTopics} onChange={(e) => setRelaxTopics(e.target.checked)} />
          Also accept any topic
        </label>
      </fieldset>
      <button type="submit" className="primary" disabled={props.disabled}>
        Find a peer
      </button>
    </form>
  );
}
