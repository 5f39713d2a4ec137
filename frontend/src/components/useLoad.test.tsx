import { act, cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useCallback } from 'react';
import { afterEach, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import { useLoad } from './useLoad';

afterEach(cleanup);

/** A load per key whose answer the test gives when it likes. */
function deferred() {
  const pending = new Map<string, { resolve: (v: string) => void; reject: (e: unknown) => void }>();
  let calls = 0;
  const load = (key: string) =>
    new Promise<string>((resolve, reject) => {
      calls += 1;
      pending.set(`${key}#${calls}`, { resolve, reject });
    });
  return { pending, load, calls: () => calls };
}

function List({ filter, load }: { filter: string; load: (key: string) => Promise<string> }) {
  const ask = useCallback(() => load(filter), [load, filter]);
  const { result, error, reload } = useLoad(ask);
  return (
    <>
      <p data-testid="result">{result ?? 'none'}</p>
      {error && <p role="alert">{error}</p>}
      <button type="button" onClick={reload}>
        Again
      </button>
    </>
  );
}

it('ignores an answer for a filter that has since changed', async () => {
  const d = deferred();
  const { rerender } = render(<List filter="easy" load={d.load} />);
  rerender(<List filter="hard" load={d.load} />);
  await act(async () => d.pending.get('hard#2')?.resolve('hard list'));
  expect(screen.getByTestId('result').textContent).toBe('hard list');
  // The slow first answer arrives last and must not replace what was asked for since.
  await act(async () => d.pending.get('easy#1')?.resolve('easy list'));
  expect(screen.getByTestId('result').textContent).toBe('hard list');
});

it('ignores a stale failure too', async () => {
  const d = deferred();
  const { rerender } = render(<List filter="easy" load={d.load} />);
  rerender(<List filter="hard" load={d.load} />);
  await act(async () => d.pending.get('easy#1')?.reject(new ApiError(503, { code: 'unavailable', message: '' })));
  expect(screen.queryByRole('alert')).toBeNull();
});

it('shows a failure as a sentence, keeps the last answer, and clears the failure on the next answer', async () => {
  const d = deferred();
  render(<List filter="easy" load={d.load} />);
  await act(async () => d.pending.get('easy#1')?.resolve('easy list'));
  await userEvent.click(screen.getByRole('button', { name: 'Again' }));
  expect(d.calls()).toBe(2);
  await act(async () => d.pending.get('easy#2')?.reject(new ApiError(0, { code: 'network', message: 'offline' })));
  expect(screen.getByRole('alert').textContent).toBe('We could not reach PeerPrep. Check your connection and try again.');
  expect(screen.getByTestId('result').textContent).toBe('easy list');
  await userEvent.click(screen.getByRole('button', { name: 'Again' }));
  await act(async () => d.pending.get('easy#3')?.resolve('fresh list'));
  expect(screen.queryByRole('alert')).toBeNull();
  expect(screen.getByTestId('result').textContent).toBe('fresh list');
});
