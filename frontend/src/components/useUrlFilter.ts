import { useSearchParams } from 'react-router-dom';

/** A list's filters as address keys; an empty value removes the key. */
export type FilterChanges = Record<string, string>;

/**
 * The address after `changes`: each key set, or removed when empty. Any change that is not
 * itself a page change goes back to the first page, since the old page may not exist any more.
 */
export function withChanges(params: URLSearchParams, changes: FilterChanges): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(changes)) {
    if (value) next.set(key, value);
    else next.delete(key);
  }
  if (!('page' in changes)) next.delete('page');
  return next;
}

/** The page the address asks for; anything but a whole number from 1 up is the first page. */
export function readPage(params: URLSearchParams): number {
  const page = Number(params.get('page') ?? '1');
  return Number.isSafeInteger(page) && page >= 1 ? page : 1;
}

/** The value of `key` if it is one of `values`, else '' (no filter). */
export function readChoice<T extends string>(params: URLSearchParams, key: string, values: readonly T[]): T | '' {
  const value = params.get(key) ?? '';
  return (values as readonly string[]).includes(value) ? (value as T) : '';
}

/**
 * A list's filters, kept in the address so a filtered page can be shared and Back works:
 * `read` turns the address into the filter, `update` writes changes back (see `withChanges`).
 */
export function useUrlFilter<F>(read: (params: URLSearchParams) => F) {
  const [params, setParams] = useSearchParams();
  function update(changes: FilterChanges) {
    setParams(withChanges(params, changes));
  }
  return { filter: read(params), update };
}
