// The history list's filters, read from the address so a filtered list can be shared and
// Back works. Anything the service would refuse (an unknown difficulty or outcome, a page
// that is not a positive whole number) is read as "no filter" instead of an error page.
import { OUTCOMES, type Outcome } from '../../api/history';
import { DIFFICULTIES, type Difficulty } from '../../api/questions';

export interface HistoryFilter {
  difficulty: Difficulty | '';
  topic: string;
  outcome: Outcome | '';
  language: string;
  page: number;
}

/** The address's keys that narrow the list (the page is not a filter). */
export const FILTER_KEYS = ['difficulty', 'topic', 'outcome', 'language'] as const;

/** Longest topic and language the service accepts (`max_length` in its list query). */
const MAX_TOPIC = 64;
const MAX_LANGUAGE = 32;

export function readHistoryFilter(params: URLSearchParams): HistoryFilter {
  const difficulty = params.get('difficulty') ?? '';
  const outcome = params.get('outcome') ?? '';
  const page = Number(params.get('page') ?? '1');
  return {
    difficulty: oneOf(DIFFICULTIES, difficulty) ? difficulty : '',
    topic: bounded(params.get('topic'), MAX_TOPIC),
    outcome: oneOf(OUTCOMES, outcome) ? outcome : '',
    language: bounded(params.get('language'), MAX_LANGUAGE),
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
  };
}

/** True when any filter narrows the list, so an empty page means "nothing matches". */
export function isFiltered(filter: HistoryFilter): boolean {
  return FILTER_KEYS.some((key) => filter[key] !== '');
}

function oneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

function bounded(value: string | null, max: number): string {
  const trimmed = (value ?? '').trim().toLowerCase();
  return trimmed.length <= max ? trimmed : '';
}
