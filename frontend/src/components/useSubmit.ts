import { useRef, useState, type FormEvent } from 'react';
import { describeError, type Described } from '../api/errors';

/**
 * What every form does on submit: stop the browser's own submit, ignore a second submit while
 * one runs (a double click, Enter twice), show "busy", and turn a failure into the sentence
 * and the per-field messages the form shows. `describe` lets a form word a failure its own way.
 */
export function useSubmit(action: () => Promise<void>, describe: (error: unknown) => Described = describeError) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Described | null>(null);
  const running = useRef(false);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setError(null);
    action()
      .catch((e: unknown) => setError(describe(e)))
      .finally(() => {
        running.current = false;
        setBusy(false);
      });
  }

  return { busy, error, onSubmit };
}
