// The bank as admins see it: the same search and filters as the public list (in the address),
// and per question "Edit" and "Delete" (asked again in the row before anything is deleted).
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { ApiError, describeError } from '../../api/errors';
import { deleteQuestion, listQuestions, type QuestionSummary } from '../../api/questions';
import { Alert } from '../../components/Alert';
import { Loading } from '../../components/Loading';
import { matchStatus, Pager, pageCount } from '../../components/Pager';
import { useLoad } from '../../components/useLoad';
import { usePageTitle } from '../../components/usePageTitle';
import { useUrlFilter } from '../../components/useUrlFilter';
import { QuestionFilters, useTopics } from '../questions/QuestionFilters';
import { QuestionHeadline, readFilter } from '../questions/QuestionListPage';
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
  const { filter, update } = useUrlFilter(readFilter);
  const { topics, reload: reloadTopics } = useTopics();
  const { topic, difficulty, q, page } = filter;
  const load = useCallback(
    () => listQuestions({ topic, difficulty, q, page, perPage: PER_PAGE }),
    [topic, difficulty, q, page],
  );
  const { result, error, reload } = useLoad(load);
  const [saved] = useState(() => readNotice(location.state));
  const [message, setMessage] = useState<Message | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);

  // The notice is shown once: a reload or Back does not show it again.
  useEffect(() => {
    if (location.state) navigate(`${location.pathname}${location.search}`, { replace: true, state: null });
  }, [location.state, location.pathname, location.search, navigate]);

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
      // The list and the topic counts both change with a delete.
      reload();
      reloadTopics();
    }
  }, [reload, reloadTopics]);

  const pages = result ? pageCount(result.total, PER_PAGE) : 1;

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

      <QuestionFilters filter={filter} topics={topics} onChange={update} />

      {error && <Alert kind="error">{error}</Alert>}
      {!result && !error && <Loading />}
      {result && (
        <>
          <p role="status">{matchStatus('question', result.total, result.page, pages)}</p>
          <ul className="question-list">
            {result.items.map((question) => (
              <li key={question.id} className="admin-row">
                <div className="admin-row-main">
                  <QuestionHeadline question={question} />
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
          {pages > 1 && <Pager page={page} pages={pages} onPage={(n) => update({ page: String(n) })} />}
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
