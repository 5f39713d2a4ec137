import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import { useSubmit } from './useSubmit';

afterEach(cleanup);

function Form({ action }: { action: () => Promise<void> }) {
  const { busy, error, onSubmit } = useSubmit(action);
  return (
    <form onSubmit={onSubmit}>
      {error && <p role="alert">{error.message}</p>}
      {error?.fields.email && <p>{error.fields.email}</p>}
      <button type="submit" disabled={busy}>
        {busy ? 'Sending…' : 'Send'}
      </button>
    </form>
  );
}

it('runs once while a submit is in flight, shows busy, and is ready again after', async () => {
  let calls = 0;
  let finish = () => {};
  const action = () => {
    calls += 1;
    return new Promise<void>((resolve) => (finish = resolve));
  };
  render(<Form action={action} />);
  const button = screen.getByRole('button');
  await userEvent.click(button);
  // A second submit while the first runs (Enter, or a click before the button disables).
  button.closest('form')?.requestSubmit();
  expect(calls).toBe(1);
  expect(screen.getByRole('button').textContent).toBe('Sending…');
  finish();
  await screen.findByRole('button', { name: 'Send' });
  await userEvent.click(screen.getByRole('button'));
  expect(calls).toBe(2);
});

it('shows a failure as a sentence with the fields it names, and clears it on the next try', async () => {
  let fail = true;
  const action = () =>
    fail
      ? Promise.reject(
          new ApiError(400, {
            code: 'validation_failed',
            message: 'invalid',
            details: { fields: { email: 'must be an email address' } },
          }),
        )
      : Promise.resolve();
  render(<Form action={action} />);
  await userEvent.click(screen.getByRole('button'));
  const alert = await screen.findByRole('alert');
  expect(alert.textContent).toMatch(/^[A-Z].*\.$/);
  expect(screen.getByText(/must be an email address/i)).toBeTruthy();
  fail = false;
  await userEvent.click(screen.getByRole('button'));
  expect(screen.queryByRole('alert')).toBeNull();
});
