// The user's history: statistics at the top (totals, time practised, streaks, attempts by
// difficulty and by topic), then their attempts, newest first, filtered by what the address
// says (filter.ts) and a page at a time. Each attempt opens its own page (AttemptPage).
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { describeError } from '../../api/errors';
import { OUTCOMES, getStats, listAttempts, type AttemptSummary, type Stats } from '../../api/history';
import { DIFFICULTIES, topicLabel, type Page } from '../../api/questions';
import { Alert } from '../../components/Alert';
import { usePageTitle } from '../../components/usePageTitle';
import { LANGUAGES, languageName } from '../matching/languages';
import { DifficultyBadge } from '../questions/DifficultyBadge';
import { FILTER_KEYS, isFiltered, readHistoryFilter } from './filter';
import { formatDateTime, formatDuration, listStatus, outcomeLabel } from './format';
import { StatsPanel } from './StatsPanel';
import './history.css';

export const PER_PAGE = 20;

export function HistoryPage() {
  usePageTitle('History');
  const [params, setParams] = useSearchParams();
  const filter = readHistoryFilter(params);
  const [stats, setStats] = useState<Stats | null>(null);
  const [statsError, setStatsError] = useState<string | null>(null);
  const [result, setResult] = useState<Page<AttemptSummary> | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    getStats().then(
      (s) => live && setStats(s),
      (e: unknown) => live && setStatsError(describeError(e).message),
    );
    return () => {
      live = false;
    };
  }, []);

  const { difficulty, topic, outcome, language, page } = filter;
  useEffect(() => {
    let live = true;
    listAttempts({ difficulty, topic, outcome, language, page, perPage: PER_PAGE }).then(
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
  }, [difficulty, topic, outcome, language, page]);

  function update(changes: Record<string, string>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  }

  function clearFilters() {
    update(Object.fromEntries(FILTER_KEYS.map((key) => [key, ''])));
  }

  const filtered = isFiltered(filter);
  // Nothing recorded at all: the list says so, unfiltered, or the statistics count none.
  const empty = (result !== null && result.total === 0 && !filtered) || stats?.total_attempts === 0;
  const pages = result ? Math.max(1, Math.ceil(result.total / PER_PAGE)) : 1;
  // The topics the user has attempted, and the one in the address even if it is not one.
  const topics = (stats?.by_topic ?? []).map((t) => t.topic);
  if (topic && !topics.includes(topic)) topics.push(topic);

  if (empty) {
    return (
      <section className="history">
        <h1>History</h1>
        <div className="card history-empty">
          <p>
            No attempts yet — <Link to="/">start practising</Link>.
          </p>
          <p className="hint">Each session you finish or leave with a peer is kept here, with its code and chat.</p>
        </div>
      </section>
    );
  }

  return (
    <section className="history">
      <h1>History</h1>
      {statsError && <Alert kind="error">{statsError}</Alert>}
      {!stats && !statsError && <p role="status">Loading your statistics…</p>}
      {stats && <StatsPanel stats={stats} />}

      <section aria-labelledby="attempts-heading">
        <h2 id="attempts-heading">Attempts</h2>
        <form className="filters history-filters" aria-label="Filter attempts" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="history-difficulty">Difficulty</label>
            <select
              id="history-difficulty"
              value={difficulty}
              onChange={(e) => update({ difficulty: e.target.value })}
            >
              <option value="">Any difficulty</option>
              {DIFFICULTIES.map((d) => (
                <option key={d} value={d}>
                  {d.charAt(0).toUpperCase() + d.slice(1)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="history-topic">Topic</label>
            <select id="history-topic" value={topic} onChange={(e) => update({ topic: e.target.value })}>
              <option value="">Any topic</option>
              {topics.map((t) => (
                <option key={t} value={t}>
                  {topicLabel(t)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="history-outcome">Outcome</label>
            <select id="history-outcome" value={outcome} onChange={(e) => update({ outcome: e.target.value })}>
              <option value="">Any outcome</option>
              {OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {outcomeLabel(o)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="history-language">Language</label>
            <select id="history-language" value={language} onChange={(e) => update({ language: e.target.value })}>
              <option value="">Any language</option>
              {LANGUAGES.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
              {language && !LANGUAGES.some((l) => l.id === language) && <option value={language}>{language}</option>}
            </select>
          </div>
        </form>
        {filtered && (
          <p>
            <button type="button" className="link-button" onClick={clearFilters}>
              Clear filters
            </button>
          </p>
        )}

        {error && <Alert kind="error">{error}</Alert>}
        {!result && !error && <p role="status">Loading your attempts…</p>}
        {result && (
          <>
            <p role="status">
              {listStatus(result.total, page, pages)}
            </p>
            {result.items.length > 0 && (
              <ul className="question-list history-list" aria-label="Attempts">
                {result.items.map((attempt) => (
                  <AttemptRow key={attempt.id} attempt={attempt} />
                ))}
              </ul>
            )}
            {(pages > 1 || page > pages) && (
              <nav className="pager" aria-label="Pages">
                <button type="button" disabled={page <= 1} onClick={() => update({ page: String(Math.min(page - 1, pages)) })}>
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
    </section>
  );
}

function AttemptRow({ attempt }: { attempt: AttemptSummary }) {
  const { question } = attempt;
  return (
    <li>
      <Link to={`/history/${attempt.id}`}>{question.title}</Link>
      <div className="meta">
        <DifficultyBadge difficulty={question.difficulty} />
        {question.topics.length > 0 && <span>{question.topics.map(topicLabel).join(', ')}</span>}
        <span className={`badge outcome-${attempt.outcome}`}>{outcomeLabel(attempt.outcome)}</span>
      </div>
      <div className="meta attempt-facts-line">
        <span>{attempt.peer ? `Peer: ${attempt.peer.username}` : 'No peer recorded'}</span>
        <span>{languageName(attempt.language)}</span>
        <time dateTime={attempt.started_at}>{formatDateTime(attempt.started_at)}</time>
        <span>{formatDuration(attempt.duration_secs)}</span>
      </div>
    </li>
  );
}
