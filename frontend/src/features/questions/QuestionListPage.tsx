import { useCallback } from 'react';
import { Link } from 'react-router-dom';
import { DIFFICULTIES, listQuestions, topicLabel, type Difficulty, type QuestionSummary } from '../../api/questions';
import { Alert } from '../../components/Alert';
import { matchStatus, Pager, pageCount } from '../../components/Pager';
import { useLoad } from '../../components/useLoad';
import { usePageTitle } from '../../components/usePageTitle';
import { readChoice, readPage, useUrlFilter } from '../../components/useUrlFilter';
import { DifficultyBadge } from './DifficultyBadge';
import { QuestionFilters, useTopics } from './QuestionFilters';

const PER_PAGE = 20;

/** The filters live in the address, so a filtered page can be shared and Back works. */
export interface ListFilter {
  topic: string;
  difficulty: Difficulty | '';
  q: string;
  page: number;
}

export function readFilter(params: URLSearchParams): ListFilter {
  return {
    topic: params.get('topic') ?? '',
    difficulty: readChoice(params, 'difficulty', DIFFICULTIES),
    q: params.get('q') ?? '',
    page: readPage(params),
  };
}

export function QuestionListPage() {
  usePageTitle('Questions');
  const { filter, update } = useUrlFilter(readFilter);
  const { topics } = useTopics();
  const { topic, difficulty, q, page } = filter;
  const load = useCallback(
    () => listQuestions({ topic, difficulty, q, page, perPage: PER_PAGE }),
    [topic, difficulty, q, page],
  );
  const { result, error } = useLoad(load);
  const pages = result ? pageCount(result.total, PER_PAGE) : 1;

  return (
    <section>
      <h1>Question bank</h1>
      <QuestionFilters filter={filter} topics={topics} onChange={update} />

      {error && <Alert kind="error">{error}</Alert>}
      {result && (
        <>
          <p role="status">{matchStatus('question', result.total, result.page, pages)}</p>
          <ul className="question-list">
            {result.items.map((question) => (
              <li key={question.id}>
                <QuestionHeadline question={question} />
              </li>
            ))}
          </ul>
          {pages > 1 && <Pager page={page} pages={pages} onPage={(n) => update({ page: String(n) })} />}
        </>
      )}
    </section>
  );
}

/** A question in a list: its title linking to it, then its difficulty and topics. */
export function QuestionHeadline({ question }: { question: QuestionSummary }) {
  return (
    <>
      <Link to={`/questions/${question.slug}`}>{question.title}</Link>
      <div className="meta">
        <DifficultyBadge difficulty={question.difficulty} />
        <span>{question.topics.map(topicLabel).join(', ')}</span>
      </div>
    </>
  );
}
