// The history list's filters, read from the address so a filtered list can be shared and
// Back works. Anything the service would refuse (an unknown difficulty or outcome, a page
// that is not a positive whole number) is read as "no filter" instead of an error page.
import { OUTCOMES, type Outcome } from '../../api/history';
import { DIFFICULTIES, type Difficulty } from '../../api/questions';
import { readChoice, readPage } from '../../components/useUrlFilter';

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
  return {
    difficulty: readChoice(params, 'difficulty', DIFFICULTIES),
    topic: bounded(params.get('topic'), MAX_TOPIC),
    outcome: readChoice(params, 'outcome', OUTCOMES),
    language: bounded(params.get('language'), MAX_LANGUAGE),
    page: readPage(params),
  };
}

/** True when any filter narrows the list, so an empty page means "nothing matches". */
export function isFiltered(filter: HistoryFilter): boolean {
  return FILTER_KEYS.some((key) => filter[key] !== '');
}

function bounded(value: string | null, max: number): string {
  const trimmed = (value ?? '').trim().toLowerCase();
  return trimmed.length <= max ? trimmed : '';
}
