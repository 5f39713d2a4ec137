// The statistics at the top of the history: totals, time practised, streaks, the last attempt,
// and attempts by difficulty and by topic as plain tables (no charts: a table reads the same
// to everyone).
import type { Stats } from '../../api/history';
import { DIFFICULTIES, topicLabel } from '../../api/questions';
import { DifficultyBadge } from '../questions/DifficultyBadge';
import { formatDateTime, formatDays, formatDuration } from './format';

export function StatsPanel({ stats }: { stats: Stats }) {
  const facts: [string, string][] = [
    ['Attempts', String(stats.total_attempts)],
    ['Completed', String(stats.completed)],
    ['Abandoned', String(stats.abandoned)],
    ['Time practised', formatDuration(stats.total_duration_secs)],
    ['Current streak', formatDays(stats.current_streak_days)],
    ['Longest streak', formatDays(stats.longest_streak_days)],
    ['Last attempt', stats.last_attempt_at ? formatDateTime(stats.last_attempt_at) : 'None yet'],
  ];
  return (
    <section className="card history-stats" aria-labelledby="stats-heading">
      <h2 id="stats-heading">Your statistics</h2>
      <dl className="stat-grid">
        {facts.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <div className="stat-tables">
        <div>
          <h3 id="by-difficulty-heading">By difficulty</h3>
          <table aria-labelledby="by-difficulty-heading">
            <thead>
              <tr>
                <th scope="col">Difficulty</th>
                <th scope="col">Attempts</th>
              </tr>
            </thead>
            <tbody>
              {DIFFICULTIES.map((d) => (
                <tr key={d}>
                  <th scope="row">
                    <DifficultyBadge difficulty={d} />
                  </th>
                  <td>{stats.by_difficulty[d] ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <h3 id="by-topic-heading">By topic</h3>
          {stats.by_topic.length === 0 ? (
            <p>No topics yet.</p>
          ) : (
            <table aria-labelledby="by-topic-heading">
              <thead>
                <tr>
                  <th scope="col">Topic</th>
                  <th scope="col">Attempts</th>
                </tr>
              </thead>
              <tbody>
                {stats.by_topic.map((t) => (
                  <tr key={t.topic}>
                    <th scope="row">{topicLabel(t.topic)}</th>
                    <td>{t.attempts}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
    </section>
  );
}
