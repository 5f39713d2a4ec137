// The question editor's pure part: the form's state, turning it into the service's body and
// back, adding and removing rows, the checks that mirror the service's obvious rules
// (crud/question/src/question.rs), and the service's field errors worded for this form.
// The service's answer is the truth; these checks only save a round trip.
import { ApiError, describeError, type Described } from '../../api/errors';
import type { Difficulty, Question, QuestionInput } from '../../api/questions';
import { languageName, LANGUAGES } from '../matching/languages';

export const MAX_TITLE_CHARS = 120;
export const MAX_SLUG_CHARS = 80;
export const MAX_DESCRIPTION_CHARS = 10_000;
export const MAX_TOPICS = 5;
export const MAX_EXAMPLES = 10;
export const MAX_CONSTRAINTS = 20;

/** One example row; `key` keeps React's rows apart while rows come and go. */
export interface ExampleRow {
  key: number;
  input: string;
  output: string;
  explanation: string;
}

export interface ConstraintRow {
  key: number;
  text: string;
}

export interface QuestionForm {
  title: string;
  slug: string;
  difficulty: Difficulty;
  /** Comma-separated topic slugs, as typed. */
  topics: string;
  description: string;
  examples: ExampleRow[];
  constraints: ConstraintRow[];
  /** Starter code for each chosen language, by language id. */
  starterCode: Record<string, string>;
}

let lastKey = 0;
function nextKey(): number {
  lastKey += 1;
  return lastKey;
}

export function newExample(): ExampleRow {
  return { key: nextKey(), input: '', output: '', explanation: '' };
}

export function newConstraint(): ConstraintRow {
  return { key: nextKey(), text: '' };
}

/** A new question starts with one empty example (the service needs at least one). */
export function emptyForm(): QuestionForm {
  return {
    title: '',
    slug: '',
    difficulty: 'easy',
    topics: '',
    description: '',
    examples: [newExample()],
    constraints: [],
    starterCode: {},
  };
}

/** The form for editing a stored question; its slug is kept so its address stays the same. */
export function formFromQuestion(question: Question): QuestionForm {
  return {
    title: question.title,
    slug: question.slug,
    difficulty: question.difficulty,
    topics: question.topics.join(', '),
    description: question.description,
    examples: question.examples.map((e) => ({
      key: nextKey(),
      input: e.input,
      output: e.output,
      explanation: e.explanation ?? '',
    })),
    constraints: question.constraints.map((text) => ({ key: nextKey(), text })),
    starterCode: { ...question.starter_code },
  };
}

/** "Arrays, two-pointers ,," → ["arrays", "two-pointers"]. */
export function parseTopics(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '');
}

/** The body for `POST /questions` and `PUT /questions/{id}`. An empty slug is left out so the
 * service makes one from the title; an empty explanation is left out (the service refuses a
 * blank one). */
export function toInput(form: QuestionForm): QuestionInput {
  const input: QuestionInput = {
    title: form.title.trim(),
    description: form.description,
    difficulty: form.difficulty,
    topics: parseTopics(form.topics),
    examples: form.examples.map((row) => {
      const explanation = row.explanation.trim();
      return explanation
        ? { input: row.input, output: row.output, explanation }
        : { input: row.input, output: row.output };
    }),
    constraints: form.constraints.map((row) => row.text),
    starter_code: { ...form.starterCode },
  };
  const slug = form.slug.trim();
  if (slug) input.slug = slug;
  return input;
}

export function addExample(form: QuestionForm): QuestionForm {
  return { ...form, examples: [...form.examples, newExample()] };
}

export function removeExample(form: QuestionForm, key: number): QuestionForm {
  return { ...form, examples: form.examples.filter((row) => row.key !== key) };
}

export function updateExample(form: QuestionForm, key: number, changes: Partial<Omit<ExampleRow, 'key'>>): QuestionForm {
  return { ...form, examples: form.examples.map((row) => (row.key === key ? { ...row, ...changes } : row)) };
}

export function addConstraint(form: QuestionForm): QuestionForm {
  return { ...form, constraints: [...form.constraints, newConstraint()] };
}

export function removeConstraint(form: QuestionForm, key: number): QuestionForm {
  return { ...form, constraints: form.constraints.filter((row) => row.key !== key) };
}

export function updateConstraint(form: QuestionForm, key: number, text: string): QuestionForm {
  return { ...form, constraints: form.constraints.map((row) => (row.key === key ? { ...row, text } : row)) };
}

/** Chooses a language for starter code (with empty code) or drops it. */
export function toggleLanguage(form: QuestionForm, language: string, on: boolean): QuestionForm {
  const starterCode = on
    ? { [language]: '', ...form.starterCode }
    : Object.fromEntries(Object.entries(form.starterCode).filter(([id]) => id !== language));
  return { ...form, starterCode };
}

/** `^[a-z0-9]+(-[a-z0-9]+)*$`, as the service checks slugs. */
export function isSlug(text: string): boolean {
  return /^[a-z0-9]+(-[a-z0-9]+)*$/.test(text);
}

/** The service's obvious rules, checked before sending; keys are the service's field names. */
export function checkForm(form: QuestionForm): Record<string, string> {
  const errors: Record<string, string> = {};
  // The service counts characters (code points), not UTF-16 units.
  const titleChars = [...form.title.trim()].length;
  if (titleChars < 3 || titleChars > MAX_TITLE_CHARS) {
    errors.title = `Title must be 3 to ${MAX_TITLE_CHARS} characters.`;
  }
  const slug = form.slug.trim();
  if (slug && (!isSlug(slug) || slug.length > MAX_SLUG_CHARS)) {
    errors.slug = `Slug must be lower-case letters and digits joined by "-", at most ${MAX_SLUG_CHARS} characters.`;
  }
  if (!form.description.trim()) errors.description = 'Description must not be empty.';
  else if ([...form.description].length > MAX_DESCRIPTION_CHARS) {
    errors.description = `Description must be at most ${MAX_DESCRIPTION_CHARS} characters.`;
  }
  const topics = parseTopics(form.topics);
  const bad = topics.filter((t) => !isSlug(t));
  if (bad.length > 0) {
    errors.topics = `${bad.map((t) => `"${t}"`).join(', ')} ${bad.length === 1 ? 'is not a topic slug' : 'are not topic slugs'} (e.g. two-pointers).`;
  } else if (new Set(topics).size < 1 || new Set(topics).size > MAX_TOPICS) {
    errors.topics = `Topics must name 1 to ${MAX_TOPICS} distinct topics.`;
  }
  if (form.examples.length < 1 || form.examples.length > MAX_EXAMPLES) {
    errors.examples = `Add 1 to ${MAX_EXAMPLES} examples.`;
  }
  form.examples.forEach((row, i) => {
    if (!row.input.trim()) errors[`examples[${i}].input`] = `Example ${i + 1}'s input must not be empty.`;
    if (!row.output.trim()) errors[`examples[${i}].output`] = `Example ${i + 1}'s output must not be empty.`;
  });
  if (form.constraints.length > MAX_CONSTRAINTS) {
    errors.constraints = `At most ${MAX_CONSTRAINTS} constraints.`;
  }
  form.constraints.forEach((row, i) => {
    if (!row.text.trim()) errors[`constraints[${i}]`] = `Constraint ${i + 1} must not be empty.`;
  });
  return errors;
}

/** "examples[1].input" → "Example 2's input"; "starter_code.python" → "Python starter code". */
export function fieldLabel(field: string): string {
  const example = /^examples\[(\d+)\]\.(\w+)$/.exec(field);
  if (example) return `Example ${Number(example[1]) + 1}'s ${example[2]}`;
  const constraint = /^constraints\[(\d+)\]$/.exec(field);
  if (constraint) return `Constraint ${Number(constraint[1]) + 1}`;
  const code = /^starter_code\.(\w+)$/.exec(field);
  if (code) return `${languageName(code[1] ?? '')} starter code`;
  const words = field.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `details.fields` (`{field: [message, ...]}`) worded with this form's labels; the service's
 * messages quote with backticks, which read better as quotes. */
export function questionFieldErrors(details: unknown): Record<string, string> {
  if (!isRecord(details) || !isRecord(details.fields)) return {};
  const out: Record<string, string> = {};
  for (const [field, messages] of Object.entries(details.fields)) {
    const list = (Array.isArray(messages) ? messages : [messages]).filter((m): m is string => typeof m === 'string');
    if (list.length > 0) {
      out[field] = list.map((m) => sentence(`${fieldLabel(field)} ${m.replace(/`/g, '"')}`)).join(' ');
    }
  }
  return out;
}

/** A failed save as the editor shows it: 409s on the field they name, field errors worded.
 * A slug made from the title (`slugGiven` false) that is taken is the title's problem. */
export function describeSaveError(error: unknown, slugGiven = true): Described {
  const described = describeError(error);
  if (!(error instanceof ApiError)) return described;
  if (error.code === 'validation_failed') {
    described.fields = questionFieldErrors(error.details);
  } else if (error.code === 'title_taken') {
    described.fields = { title: 'Another question already has this title.' };
  } else if (error.code === 'slug_taken' && slugGiven) {
    described.fields = { slug: 'Another question already has this slug.' };
  } else if (error.code === 'slug_taken') {
    described.message = 'A question with a title like this already exists.';
    described.fields = {
      title: 'Another question has a title that makes the same slug. Change the title, or choose a slug.',
    };
  } else if (error.status === 404) {
    described.message = 'This question no longer exists; it may have been deleted.';
  }
  return described;
}

/** The languages that have starter code, in the shared order. */
export function chosenLanguages(form: QuestionForm): string[] {
  return LANGUAGES.map((l) => l.id).filter((id) => id in form.starterCode);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
