// The bank as admins see it: the same search and filters as the public list (in the address),
// and per question "Edit" and "Delete" (asked again in the row before anything is deleted).
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError, describeError } from '../../api/errors';
import {
  deleteQuestion,
  DIFFICULTIES,
  listQuestions,
  listTopics,
  topicLabel,
  type Page,
  type QuestionSummary,
  type Topic,
} from '../../api/questions';
import { Alert } from '../../components/Alert';
import { usePageTitle } from '../../components/usePageTitle';
import { DifficultyBadge } from '../questions/DifficultyBadge';
import { readFilter } from '../questions/QuestionListPage';
import { AdminNav } from './AdminNav';
import './admin.css';

const PER_PAGE = 20;

/** What the editor leaves for this page after a save, in the navigation's state. */
export interface SavedNotice {
  saved: { title: string; slug: string; created: boolean };
}

function readNotice(state: unknown): SavedNotice['saved'] | null {
  if (typeof state !== 'object' || state === null || !('saved' in state)) return null;
  return (state as SavedNotice).saved;
}

type Message = { kind: 'success' | 'error'; text: string };

export function AdminQuestionsPage() {
  usePageTitle('Manage questions');
  const location = useLocation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filter = readFilter(params);
  const [topics, setTopics] = useState<Topic[]>([]);
  const [result, setResult] = useState<Page<QuestionSummary> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState(filter.q);
  const [saved] = useState(() => readNotice(location.state));
  const [message, setMessage] = useState<Message | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [reload, setReload] = useState(0);

  // The notice is shown once: a reload or Back does not show it again.
  useEffect(() => {
    if (location.state) navigate(`${location.pathname}${location.search}`, { replace: true, state: null });
  }, [location.state, location.pathname, location.search, navigate]);

  useEffect(() => {
    listTopics().then(setTopics, () => setTopics([]));
  }, [reload]);

  const { topic, difficulty, q, page } = filter;
  useEffect(() => {
    let live = true;
    listQuestions({ topic, difficulty, q, page, perPage: PER_PAGE }).then(
      (r) => {
        if (!live) return;
        setResult(r);
        setError(null);
      },
      (e: unknown) => live && setError(describeError(e).message),
    );
    return () => {
      live = false;
    };
  }, [topic, difficulty, q, page, reload]);

  function update(changes: Record<string, string>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  }

  function onSearch(event: FormEvent) {
    event.preventDefault();
    update({ q: search.trim() });
  }

  const onDelete = useCallback(async (question: QuestionSummary) => {
    setDeleting(true);
    try {
      await deleteQuestion(question.id);
      setMessage({ kind: 'success', text: `Deleted “${question.title}”.` });
    } catch (e) {
      const text =
        e instanceof ApiError && e.status === 404
          ? `“${question.title}” was already deleted.`
          : describeError(e).message;
      setMessage({ kind: 'error', text });
    } finally {
      setDeleting(false);
      setConfirming(null);
      setReload((n) => n + 1);
    }
  }, []);

  const pages = result ? Math.max(1, Math.ceil(result.total / PER_PAGE)) : 1;

  return (
    <section>
      <AdminNav />
      <div className="admin-head">
        <h1>Manage questions</h1>
        <Link to="/admin/questions/new" className="button-link">
          New question
        </Link>
      </div>
      {saved && !message && (
        <Alert kind="success">
          {saved.created ? 'Created' : 'Saved'} “{saved.title}”.{' '}
          <Link to={`/questions/${saved.slug}`}>View it</Link>
        </Alert>
      )}
      {message && <Alert kind={message.kind}>{message.text}</Alert>}

      <form className="filters" onSubmit={onSearch} role="search">
        <div className="field">
          <label htmlFor="q">Search</label>
          <div className="inline">
            <input id="q" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
            <button type="submit">Search</button>
          </div>
        </div>
        <div className="field">
          <label htmlFor="difficulty">Difficulty</label>
          <select id="difficulty" value={difficulty} onChange={(e) => update({ difficulty: e.target.value })}>
            <option value="">Any difficulty</option>
            {DIFFICULTIES.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="topic">Topic</label>
          <select id="topic" value={topic} onChange={(e) => update({ topic: e.target.value })}>
            <option value="">Any topic</option>
            {topics.map((t) => (
              <option key={t.topic} value={t.topic}>
                {topicLabel(t.topic)} ({t.count})
              </option>
            ))}
          </select>
        </div>
      </form>

      {error && <Alert kind="error">{error}</Alert>}
      {!result && !error && (
        <p className="loading" role="status">
          Loading…
        </p>
      )}
      {result && (
        <>
          <p role="status">
            {result.total === 0
              ? 'No questions match these filters.'
              : `${result.total} question${result.total === 1 ? '' : 's'}, page ${result.page} of ${pages}.`}
          </p>
          <ul className="question-list">
            {result.items.map((question) => (
              <li key={question.id} className="admin-row">
                <div className="admin-row-main">
                  <Link to={`/questions/${question.slug}`}>{question.title}</Link>
                  <div className="meta">
                    <DifficultyBadge difficulty={question.difficulty} />
                    <span>{question.topics.map(topicLabel).join(', ')}</span>
                  </div>
                </div>
                <div className="row-actions">
                  <Link to={`/admin/questions/${question.id}/edit`}>
                    Edit{' '}<span className="visually-hidden">{question.title}</span>
                  </Link>
                  <button
                    type="button"
                    className="danger"
                    aria-expanded={confirming === question.id}
                    onClick={() => setConfirming(confirming === question.id ? null : question.id)}
                  >
                    Delete{' '}<span className="visually-hidden">{question.title}</span>
                  </button>
                </div>
                {confirming === question.id && (
                  <ConfirmDelete
                    title={question.title}
                    busy={deleting}
                    onConfirm={() => void onDelete(question)}
                    onCancel={() => setConfirming(null)}
                  />
                )}
              </li>
            ))}
          </ul>
          {pages > 1 && (
            <nav className="pager" aria-label="Pages">
              <button type="button" disabled={page <= 1} onClick={() => update({ page: String(page - 1) })}>
                Previous page
              </button>
              <span>
                Page {page} of {pages}
              </span>
              <button type="button" disabled={page >= pages} onClick={() => update({ page: String(page + 1) })}>
                Next page
              </button>
            </nav>
          )}
        </>
      )}
    </section>
  );
}

/** Asked in the row itself, with focus moved to the question so keyboard users hear it. */
function ConfirmDelete(props: { title: string; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="confirm" role="group" aria-label={`Confirm deleting “${props.title}”`}>
      <p ref={ref} tabIndex={-1}>
        Delete “{props.title}” for good? Attempts already recorded keep their copy.
      </p>
      <div className="row-actions">
        <button type="button" className="danger" disabled={props.busy} onClick={props.onConfirm}>
          {props.busy ? 'Deleting…' : 'Yes, delete'}
        </button>
        <button type="button" onClick={props.onCancel} disabled={props.busy}>
          Cancel
        </button>
      </div>
    </div>
  );
}
