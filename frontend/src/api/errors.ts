// Errors from the services, and the sentences a person reads instead of their JSON.
// Every service answers `{error: {code, message, details}}`; `describeError` is pure so each
// sentence is tested without a network.

/** The body every service sends with a 4xx or 5xx. */
export interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

/** A failed call: the HTTP status (0 when the network failed) and the service's error. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly retryAfterSecs: number | null;

  constructor(status: number, body: ErrorBody, retryAfterSecs: number | null = null) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.details = body.details;
    this.retryAfterSecs = retryAfterSecs;
  }
}

/** Reads an error body whatever arrived: JSON of the services' shape, or anything else. */
export function parseErrorBody(status: number, text: string): ErrorBody {
  try {
    const value: unknown = JSON.parse(text);
    if (isRecord(value) && isRecord(value.error) && typeof value.error.code === 'string') {
      const message = typeof value.error.message === 'string' ? value.error.message : '';
      return { code: value.error.code, message, details: value.error.details };
    }
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): fall through to the status.
  }
  return { code: fallbackCode(status), message: '' };
}

function fallbackCode(status: number): string {
  if (status === 0) return 'network';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'rate_limited';
  if (status === 502 || status === 503 || status === 504) return 'unavailable';
  return status >= 500 ? 'internal' : 'bad_request';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a form shows: one sentence for the whole, and one per field that was wrong. */
export interface Described {
  message: string;
  fields: Record<string, string>;
}

const SENTENCES: Record<string, string> = {
  network: 'We could not reach PeerPrep. Check your connection and try again.',
  invalid_credentials: 'That email and password do not match an account.',
  email_taken: 'An account with that email already exists. Try logging in instead.',
  username_taken: 'That username is taken. Please choose another.',
  validation_failed: 'Some fields need another look.',
  malformed_json: 'Something went wrong sending your request. Please try again.',
  invalid_body: 'Something went wrong sending your request. Please try again.',
  unauthenticated: 'Please log in to continue.',
  invalid_token: 'Please log in again to continue.',
  token_expired: 'Please log in again to continue.',
  session_ended: 'You were signed out because this session ended. Please log in again.',
  refresh_token_reused: 'You were signed out for your safety. Please log in again.',
  invalid_refresh_token: 'Your session has expired. Please log in again.',
  forbidden: 'You do not have permission to do that.',
  not_found: 'We could not find that.',
  no_matching_question: 'No question matches those choices.',
  last_admin: 'You cannot remove the last admin.',
  title_taken: 'A question with that title already exists.',
  slug_taken: 'A question with that slug already exists.',
  payload_too_large: 'That is too much to send at once.',
  busy: 'PeerPrep is busy right now. Please try again in a moment.',
  unavailable: 'That part of PeerPrep is unavailable right now. Please try again shortly.',
  internal: 'Something went wrong on our side. Please try again.',
  bad_request: 'That request was not accepted. Please check it and try again.',
};

/** Turns any thrown value into sentences; never shows raw JSON or a stack. */
export function describeError(error: unknown): Described {
  if (!(error instanceof ApiError)) {
    return { message: SENTENCES.internal ?? '', fields: {} };
  }
  const fields = fieldErrors(error.details);
  let message = SENTENCES[error.code] ?? SENTENCES[fallbackCode(error.status)] ?? '';
  if (error.code === 'rate_limited') {
    message = error.retryAfterSecs
      ? `Too many attempts. Please wait ${waitPhrase(error.retryAfterSecs)} and try again.`
      : 'Too many attempts. Please wait a little and try again.';
  }
  if (error.code === 'validation_failed' && Object.keys(fields).length === 0 && error.message) {
    message = sentence(error.message);
  }
  return { message, fields };
}

/** `details.fields` is `{field: ["is too short", ...]}`; each becomes "Password is too short." */
export function fieldErrors(details: unknown): Record<string, string> {
  if (!isRecord(details) || !isRecord(details.fields)) return {};
  const out: Record<string, string> = {};
  for (const [field, messages] of Object.entries(details.fields)) {
    const list = Array.isArray(messages) ? messages : [messages];
    const texts = list.filter((m): m is string => typeof m === 'string');
    if (texts.length > 0) {
      out[field] = texts.map((m) => sentence(`${fieldLabel(field)} ${m}`)).join(' ');
    }
  }
  return out;
}

function fieldLabel(field: string): string {
  const words = field.replace(/[_.]/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

function waitPhrase(secs: number): string {
  if (secs < 60) return secs === 1 ? '1 second' : `${secs} seconds`;
  const minutes = Math.ceil(secs / 60);
  return minutes === 1 ? 'a minute' : `${minutes} minutes`;
}
