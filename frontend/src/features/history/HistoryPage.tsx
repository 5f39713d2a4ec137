// The user's history: statistics at the top (totals, time practised, streaks, attempts by
// difficulty and by topic), then their attempts, newest first, filtered by what the address
// says (filter.ts) and a page at a time. Each attempt opens its own page (AttemptPage).
import { useCallback } from 'react';
import { Link } from 'react-router-dom';
import { OUTCOMES, getStats, listAttempts, type AttemptSummary } from '../../api/history';
import { DIFFICULTIES, topicLabel } from '../../api/questions';
import { Alert } from '../../components/Alert';
import { FilterSelect } from '../../components/Filters';
import { Pager, pageCount } from '../../components/Pager';
import { useLoad } from '../../components/useLoad';
import { usePageTitle } from '../../components/usePageTitle';
import { useUrlFilter } from '../../components/useUrlFilter';
import { LANGUAGES, languageName } from '../matching/languages';
import { DifficultyBadge } from '../questions/DifficultyBadge';
import { FILTER_KEYS, isFiltered, readHistoryFilter } from './filter';
import { formatDateTime, formatDuration, listStatus, outcomeLabel } from './format';
import { StatsPanel } from './StatsPanel';
import './history.css';

export const PER_PAGE = 20;

/** The languages a room can have, and the address's own when it names another (still shown). */
function languageOptions(current: string) {
  const options = LANGUAGES.map((l) => ({ value: l.id, label: l.name }));
  if (current && !LANGUAGES.some((l) => l.id === current)) options.push({ value: current, label: current });
  return options;
}

export function HistoryPage() {
  usePageTitle('History');
  const { filter, update } = useUrlFilter(readHistoryFilter);
  const { result: stats, error: statsError } = useLoad(getStats);

  const { difficulty, topic, outcome, language, page } = filter;
  const load = useCallback(
    () => listAttempts({ difficulty, topic, outcome, language, page, perPage: PER_PAGE }),
    [difficulty, topic, outcome, language, page],
  );
  const { result, error } = useLoad(load);

  function clearFilters() {
    update(Object.fromEntries(FILTER_KEYS.map((key) => [key, ''])));
  }

  const filtered = isFiltered(filter);
  // Nothing recorded at all: the list says so, unfiltered, or the statistics count none.
  const empty = (result !== null && result.total === 0 && !filtered) || stats?.total_attempts === 0;
  const pages = result ? pageCount(result.total, PER_PAGE) : 1;
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
          <FilterSelect
            id="history-difficulty"
            param="difficulty"
            label="Difficulty"
            value={difficulty}
            any="Any difficulty"
            onChange={update}
            options={DIFFICULTIES.map((d) => ({ value: d, label: d.charAt(0).toUpperCase() + d.slice(1) }))}
          />
          <FilterSelect
            id="history-topic"
            param="topic"
            label="Topic"
            value={topic}
            any="Any topic"
            onChange={update}
            options={topics.map((t) => ({ value: t, label: topicLabel(t) }))}
          />
          <FilterSelect
            id="history-outcome"
            param="outcome"
            label="Outcome"
            value={outcome}
            any="Any outcome"
            onChange={update}
            options={OUTCOMES.map((o) => ({ value: o, label: outcomeLabel(o) }))}
          />
          <FilterSelect
            id="history-language"
            param="language"
            label="Language"
            value={language}
            any="Any language"
            onChange={update}
            options={languageOptions(language)}
          />
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
            {/* A page past the end (an old link) gets the pager too: "Previous page" leads to the last page. */}
            {(pages > 1 || page > pages) && (
              <Pager page={page} pages={pages} onPage={(n) => update({ page: String(Math.min(n, pages)) })} />
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
