import type { Question } from '../../api/questions';
import { topicLabel } from '../../api/questions';
import { DifficultyBadge } from './DifficultyBadge';
import { Markdown } from './Markdown';

/** A question as a reader needs it: the description, examples and constraints. */
export function QuestionView({ question, headingLevel = 1 }: { question: Question; headingLevel?: 1 | 2 }) {
  const Title = headingLevel === 1 ? 'h1' : 'h2';
  const Sub = headingLevel === 1 ? 'h2' : 'h3';
  return (
    <article className="question">
      <Title>{question.title}</Title>
      <div className="meta">
        <DifficultyBadge difficulty={question.difficulty} />
        <span>{question.topics.map(topicLabel).join(', ')}</span>
      </div>
      <Markdown source={question.description} />
      {question.examples.length > 0 && (
        <>
          <Sub>Examples</Sub>
          {question.examples.map((example, i) => (
            <dl className="example" key={i}>
              <dt>Input</dt>
              <dd>
                <code>{example.input}</code>
              </dd>
              <dt>Output</dt>
              <dd>
                <code>{example.output}</code>
              </dd>
              {example.explanation && (
                <>
                  <dt>Explanation</dt>
                  <dd>
                    <Markdown source={example.explanation} inline />
                  </dd>
                </>
              )}
            </dl>
          ))}
        </>
      )}
      {question.constraints.length > 0 && (
        <>
          <Sub>Constraints</Sub>
          <ul>
            {question.constraints.map((constraint, i) => (
              <li key={i}>
                <Markdown source={constraint} inline />
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}
