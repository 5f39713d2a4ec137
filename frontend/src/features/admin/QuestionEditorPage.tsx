// One form for a new question (`/admin/questions/new`) and for editing one
// (`/admin/questions/:id/edit`, loaded first). The Markdown description is previewed beside
// the text as it is typed; the service's field errors are shown next to the fields they name.
import { useEffect, useId, useState, type ReactNode, type TextareaHTMLAttributes } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError, describeError } from '../../api/errors';
import { createQuestion, DIFFICULTIES, getQuestion, updateQuestion, type Difficulty } from '../../api/questions';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { usePageTitle } from '../../components/usePageTitle';
import { useSubmit } from '../../components/useSubmit';
import { LANGUAGES, languageName } from '../matching/languages';
import { Markdown } from '../questions/Markdown';
import { AdminNav } from './AdminNav';
import type { SavedNotice } from './AdminQuestionsPage';
import {
  addConstraint,
  addExample,
  checkForm,
  chosenLanguages,
  describeSaveError,
  emptyForm,
  formFromQuestion,
  MAX_CONSTRAINTS,
  MAX_EXAMPLES,
  MAX_TOPICS,
  removeConstraint,
  removeExample,
  toggleLanguage,
  toInput,
  updateConstraint,
  updateExample,
  type QuestionForm,
} from './questionForm';
import './admin.css';

export function QuestionEditorPage() {
  const { id } = useParams();
  const heading = id ? 'Edit question' : 'New question';
  usePageTitle(heading);
  const [loaded, setLoaded] = useState<{ id: string; form: QuestionForm } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    if (!id) return;
    let live = true;
    getQuestion(id).then(
      (q) => live && setLoaded({ id: q.id, form: formFromQuestion(q) }),
      (e: unknown) => {
        if (!live) return;
        setLoadError(
          e instanceof ApiError && e.status === 404
            ? 'There is no such question; it may have been deleted.'
            : describeError(e).message,
        );
      },
    );
    return () => {
      live = false;
    };
  }, [id]);

  return (
    <section>
      <AdminNav />
      <p>
        <Link to="/admin/questions">← All questions</Link>
      </p>
      <h1>{heading}</h1>
      {id ? (
        <>
          {loadError && <Alert kind="error">{loadError}</Alert>}
          {!loaded && !loadError && (
            <p className="loading" role="status">
              Loading…
            </p>
          )}
          {loaded && <EditorForm key={loaded.id} id={loaded.id} initial={loaded.form} />}
        </>
      ) : (
        <EditorForm initial={emptyForm()} />
      )}
    </section>
  );
}

function EditorForm({ id, initial }: { id?: string; initial: QuestionForm }) {
  const navigate = useNavigate();
  const [form, setForm] = useState(initial);
  const [checked, setChecked] = useState<Record<string, string>>({});
  const { busy, error, onSubmit } = useSubmit(async () => {
    const problems = checkForm(form);
    setChecked(problems);
    if (Object.keys(problems).length > 0) {
      // Worded as the service's own 400 would be; the messages themselves are in `checked`.
      throw new ApiError(400, { code: 'validation_failed', message: '' });
    }
    const body = toInput(form);
    const saved = id ? await updateQuestion(id, body) : await createQuestion(body);
    const state: SavedNotice = { saved: { title: saved.title, slug: saved.slug, created: !id } };
    navigate('/admin/questions', { state });
  }, (e) => describeSaveError(e, form.slug.trim() !== ''));

  // The client's own checks, then the service's answer, each naming a field.
  const fields: Record<string, string> = { ...checked, ...error?.fields };
  const err = (name: string): string | undefined => fields[name];
  const set = (changes: Partial<QuestionForm>) => setForm((f) => ({ ...f, ...changes }));
  const languages = chosenLanguages(form);
  const others = Object.keys(fields).filter((name) => !SHOWN.test(name));

  return (
    <form onSubmit={onSubmit} noValidate className="editor-form" aria-label={id ? 'Edit question' : 'New question'}>
      {error && (
        <Alert kind="error">
          <p>{error.message}</p>
          {others.map((name) => (
            <p key={name}>{fields[name]}</p>
          ))}
        </Alert>
      )}

      <fieldset className="card">
        <legend>Basics</legend>
        <Field label="Title" value={form.title} maxLength={120} hint="3 to 120 characters, unique."
          onChange={(e) => set({ title: e.target.value })} error={err('title')} />
        <Field label="Slug" value={form.slug} hint="Optional: lower-case words joined by “-”; made from the title when empty. It is the question’s address."
          onChange={(e) => set({ slug: e.target.value })} error={err('slug')} />
        <Select label="Difficulty" value={form.difficulty} error={err('difficulty')}
          onChange={(value) => set({ difficulty: value as Difficulty })}
          options={DIFFICULTIES.map((d) => ({ value: d, label: d }))} />
        <Field label="Topics" value={form.topics}
          hint={`1 to ${MAX_TOPICS} topic slugs, separated by commas, e.g. arrays, two-pointers.`}
          onChange={(e) => set({ topics: e.target.value })} error={err('topics')} />
      </fieldset>

      <fieldset className="card">
        <legend>Description</legend>
        <div className="markdown-pair">
          <TextArea label="Description (Markdown)" rows={14} value={form.description}
            onChange={(e) => set({ description: e.target.value })} error={err('description')} />
          <div>
            <p className="preview-label" id="preview-label">
              Preview
            </p>
            <div className="preview" role="region" aria-labelledby="preview-label">
              {form.description.trim() ? <Markdown source={form.description} /> : <p className="hint">Nothing to preview yet.</p>}
            </div>
          </div>
        </div>
      </fieldset>

      <fieldset className="card">
        <legend>Examples</legend>
        <p className="hint">1 to {MAX_EXAMPLES} worked examples.</p>
        {err('examples') && <p className="field-error">{err('examples')}</p>}
        {form.examples.map((row, i) => (
          <div key={row.key} className="editor-row" role="group" aria-labelledby={`example-${row.key}`}>
            <h2 id={`example-${row.key}`}>Example {i + 1}</h2>
            <TextArea label="Input" rows={2} className="code" value={row.input} error={err(`examples[${i}].input`)}
              onChange={(e) => setForm((f) => updateExample(f, row.key, { input: e.target.value }))} />
            <TextArea label="Output" rows={2} className="code" value={row.output} error={err(`examples[${i}].output`)}
              onChange={(e) => setForm((f) => updateExample(f, row.key, { output: e.target.value }))} />
            <TextArea label="Explanation (optional)" rows={2} value={row.explanation}
              error={err(`examples[${i}].explanation`)}
              onChange={(e) => setForm((f) => updateExample(f, row.key, { explanation: e.target.value }))} />
            <button type="button" onClick={() => setForm((f) => removeExample(f, row.key))}>
              Remove example {i + 1}
            </button>
          </div>
        ))}
        <p>
          <button type="button" disabled={form.examples.length >= MAX_EXAMPLES}
            onClick={() => setForm(addExample)}>
            Add example
          </button>
        </p>
      </fieldset>

      <fieldset className="card">
        <legend>Constraints</legend>
        <p className="hint">Optional, up to {MAX_CONSTRAINTS}.</p>
        {err('constraints') && <p className="field-error">{err('constraints')}</p>}
        {form.constraints.map((row, i) => (
          <div key={row.key} className="editor-row">
            <div className="constraint-row">
              <Field label={`Constraint ${i + 1}`} value={row.text} error={err(`constraints[${i}]`)}
                onChange={(e) => setForm((f) => updateConstraint(f, row.key, e.target.value))} />
              <button type="button" onClick={() => setForm((f) => removeConstraint(f, row.key))}>
                Remove constraint {i + 1}
              </button>
            </div>
          </div>
        ))}
        <p>
          <button type="button" disabled={form.constraints.length >= MAX_CONSTRAINTS}
            onClick={() => setForm(addConstraint)}>
            Add constraint
          </button>
        </p>
      </fieldset>

      <fieldset className="card">
        <legend>Starter code</legend>
        <p className="hint">Choose the languages that get code to start from.</p>
        {err('starter_code') && <p className="field-error">{err('starter_code')}</p>}
        <div className="topic-grid">
          {LANGUAGES.map((l) => (
            <label key={l.id} className="check">
              <input type="checkbox" checked={l.id in form.starterCode}
                onChange={(e) => setForm((f) => toggleLanguage(f, l.id, e.target.checked))} />
              {l.name}
            </label>
          ))}
        </div>
        {languages.map((language) => (
          <TextArea key={language} label={`${languageName(language)} starter code`} rows={6} className="code"
            spellCheck={false} value={form.starterCode[language] ?? ''} error={err(`starter_code.${language}`)}
            onChange={(e) => {
              const code = e.target.value;
              setForm((f) => ({ ...f, starterCode: { ...f.starterCode, [language]: code } }));
            }} />
        ))}
      </fieldset>

      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : id ? 'Save changes' : 'Create question'}
        </button>
        <Link to="/admin/questions">Cancel</Link>
      </div>
    </form>
  );
}

/** Fields that have a place of their own in the form; any other error goes in the summary. */
const SHOWN =
  /^(title|slug|difficulty|topics|description|examples|constraints|starter_code)$|^examples\[\d+\]\.(input|output|explanation)$|^constraints\[\d+\]$|^starter_code\.\w+$/;

interface TextAreaProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  label: string;
  error?: string | undefined;
}

/** Field's twin for several lines. */
function TextArea({ label, error, ...textarea }: TextAreaProps) {
  const id = useId();
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} aria-invalid={error ? true : undefined} aria-describedby={errorId} {...textarea} />
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

function Select(props: {
  label: string;
  value: string;
  error?: string | undefined;
  onChange: (value: string) => void;
  options: { value: string; label: ReactNode }[];
}) {
  const id = useId();
  const errorId = props.error ? `${id}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value} aria-invalid={props.error ? true : undefined} aria-describedby={errorId}
        onChange={(e) => props.onChange(e.target.value)}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.error && (
        <p id={errorId} className="field-error">
          {props.error}
        </p>
      )}
    </div>
  );
}
