import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { describeError } from '../../api/errors';
import {
  DIFFICULTIES,
  listQuestions,
  listTopics,
  topicLabel,
  type Difficulty,
  type Page,
  type QuestionSummary,
  type Topic,
} from '../../api/questions';
import { Alert } from '../../components/Alert';
import { usePageTitle } from '../../components/usePageTitle';
import { DifficultyBadge } from './DifficultyBadge';

const PER_PAGE = 20;

/** The filters live in the address, so a filtered page can be shared and Back works. */
export interface ListFilter {
  topic: string;
  difficulty: Difficulty | '';
  q: string;
  page: number;
}

export function readFilter(params: URLSearchParams): ListFilter {
  const difficulty = params.get('difficulty') ?? '';
  const page = Number(params.get('page') ?? '1');
  return {
    topic: params.get('topic') ?? '',
    difficulty: (DIFFICULTIES as readonly string[]).includes(difficulty) ? (difficulty as Difficulty) : '',
    q: params.get('q') ?? '',
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

export function QuestionListPage() {
  usePageTitle('Questions');
  const [params, setParams] = useSearchParams();
  const filter = readFilter(params);
  const [topics, setTopics] = useState<Topic[]>([]);
  const [result, setResult] = useState<Page<QuestionSummary> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState(filter.q);

  useEffect(() => {
    listTopics().then(setTopics, () => setTopics([]));
  }, []);

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
  }, [topic, difficulty, q, page]);

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

  const pages = result ? Math.max(1, Math.ceil(result.total / PER_PAGE)) : 1;

  return (
    <section>
      <h1>Question bank</h1>
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
      {result && (
        <>
          <p role="status">
            {result.total === 0
              ? 'No questions match these filters.'
              : `${result.total} question${result.total === 1 ? '' : 's'}, page ${result.page} of ${pages}.`}
          </p>
          <ul className="question-list">
            {result.items.map((question) => (
              <li key={question.id}>
                <Link to={`/questions/${question.slug}`}>{question.title}</Link>
                <div className="meta">
                  <DifficultyBadge difficulty={question.difficulty} />
                  <span>{question.topics.map(topicLabel).join(', ')}</span>
                </div>
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
