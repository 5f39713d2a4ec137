import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError, describeError } from '../../api/errors';
import { getQuestion, type Question } from '../../api/questions';
import { Alert } from '../../components/Alert';
import { usePageTitle } from '../../components/usePageTitle';
import { QuestionView } from './QuestionView';

export function QuestionPage() {
  const { idOrSlug = '' } = useParams();
  const [question, setQuestion] = useState<Question | null>(null);
  const [error, setError] = useState<string | null>(null);
  usePageTitle(question?.title ?? 'Question');

  useEffect(() => {
    let live = true;
    getQuestion(idOrSlug).then(
      (q) => {
        if (!live) return;
        setQuestion(q);
        setError(null);
      },
      (e: unknown) => {
        if (!live) return;
        setQuestion(null);
        setError(e instanceof ApiError && e.status === 404 ? 'There is no such question.' : describeError(e).message);
      },
    );
    return () => {
      live = false;
    };
  }, [idOrSlug]);

  return (
    <section>
      <p>
        <Link to="/questions">← All questions</Link>
      </p>
      {error && <Alert kind="error">{error}</Alert>}
      {!question && !error && <p role="status">Loading…</p>}
      {question && <QuestionView question={question} />}
    </section>
  );
}
