// How the history pages write durations, day counts and outcomes; pure so each is tested.
import type { Outcome } from '../../api/history';

/** 1500 → "25 min", 3900 → "1 h 5 min", 7200 → "2 h"; under a minute → "under 1 min".
 * Whole minutes, rounded to the nearest. */
export function formatDuration(secs: number): string {
  if (!Number.isFinite(secs) || secs < 60) return 'under 1 min';
  const minutes = Math.round(secs / 60);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** 1 → "1 day", 0 → "0 days". */
export function formatDays(days: number): string {
  return days === 1 ? '1 day' : `${days} days`;
}

/** "3 attempts", "1 attempt". */
export function countAttempts(count: number): string {
  return count === 1 ? '1 attempt' : `${count} attempts`;
}

/** The list's status line: how many, and which page; a page past the end says so. */
export function listStatus(total: number, page: number, pages: number): string {
  if (total === 0) return 'No attempts match these filters.';
  if (page > pages) return `Page ${page} is past the end: ${countAttempts(total)} fill ${pages === 1 ? '1 page' : `${pages} pages`}.`;
  return `${countAttempts(total)}, page ${page} of ${pages}.`;
}

export function outcomeLabel(outcome: Outcome): string {
  return outcome === 'completed' ? 'Completed' : 'Abandoned';
}

const DATE_TIME: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };

/** A timestamp in the reader's locale and time zone; the raw text if it is not a date. */
export function formatDateTime(iso: string, locale?: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { ...DATE_TIME, timeZone }).format(date);
}
