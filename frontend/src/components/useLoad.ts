import { useCallback, useEffect, useState, type Dispatch, type SetStateAction } from 'react';
import { describeError } from '../api/errors';

export interface Loaded<T> {
  /** The last answer, kept while the next one loads; null until the first arrives. */
  result: T | null;
  /** Why the last load failed, as a sentence; cleared by the next answer. */
  error: string | null;
  /** For a page that changes an item in place instead of asking again. */
  setResult: Dispatch<SetStateAction<T | null>>;
  /** Ask again with the same inputs (after a change the list should show). */
  reload: () => void;
}

/**
 * Loads what `load` returns whenever `load` changes, so pass a function made with
 * `useCallback` over the filter it reads. An answer that arrives after the inputs have changed
 * again is dropped: a slow first page must not replace the second one the user asked for since.
 */
export function useLoad<T>(load: () => Promise<T>): Loaded<T> {
  const [result, setResult] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);

  useEffect(() => {
    let live = true;
    load().then(
      (r) => {
        if (!live) return;
        setResult(r);
        setError(null);
      },
      (e: unknown) => live && setError(describeError(e).message),
    );
    return () => {
      live = false;
    };
  }, [load, round]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { result, error, setResult, reload };
}
