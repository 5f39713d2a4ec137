import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JoinRequest, Waiting } from './machine';
import { Outcome, WaitingPanel } from './MatchPanels';

afterEach(cleanup);

const request: JoinRequest = {
  topics: ['graphs', 'dynamic-programming'],
  difficulty: 'easy',
  language: 'python',
  relaxDifficulty: true,
  relaxTopics: true,
};
const wait: Waiting = {
  since: 0,
  position: 1,
  waiting: 3,
  timeoutSecs: 60,
  relaxDifficultyAfterSecs: 20,
  relaxTopicsAfterSecs: 40,
};

describe('WaitingPanel', () => {
  it('shows the wait timer and no relaxation at first', () => {
    render(<WaitingPanel state={{ kind: 'queued', request, wait, requeued: false }} now={7_000} onCancel={() => {}} />);
    expect(screen.getByText('0:07')).toBeTruthy();
    expect(screen.getByText(/Graphs, Dynamic programming/)).toBeTruthy();
    expect(screen.getByText(/3 people are waiting/)).toBeTruthy();
    expect(screen.queryByText(/Now also matching/)).toBeNull();
  });

  it('announces each relaxation as it happens', () => {
    const { rerender } = render(
      <WaitingPanel state={{ kind: 'queued', request, wait, requeued: false }} now={21_000} onCancel={() => {}} />,
    );
    expect(screen.getByRole('status').textContent).toContain('Now also matching medium.');
    rerender(<WaitingPanel state={{ kind: 'queued', request, wait, requeued: false }} now={41_000} onCancel={() => {}} />);
    expect(screen.getByRole('status').textContent).toContain('Now matching any topic.');
  });

  it('cancel is a real button, disabled while cancelling', async () => {
    const onCancel = vi.fn();
    const { rerender } = render(
      <WaitingPanel state={{ kind: 'queued', request, wait, requeued: false }} now={1_000} onCancel={onCancel} />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalledOnce();
    rerender(<WaitingPanel state={{ kind: 'cancelling', request, wait }} now={1_000} onCancel={onCancel} />);
    expect((screen.getByRole('button', { name: 'Cancel' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('Outcome', () => {
  it('a timeout offers try again with the same choices', async () => {
    const onRetry = vi.fn();
    render(<Outcome state={{ kind: 'timedOut', request }} onRetry={onRetry} onDismiss={() => {}} />);
    expect(screen.getByText(/Nobody was free/)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(onRetry).toHaveBeenCalledWith(request);
  });

  it('replaced says another tab took over', () => {
    render(<Outcome state={{ kind: 'cancelled', request, reason: 'replaced' }} onRetry={() => {}} onDismiss={() => {}} />);
    expect(screen.getByText(/started matching in another tab/)).toBeTruthy();
  });

  it('a failure shows its sentence in an alert; a signed-out one offers no retry', () => {
    render(
      <Outcome
        state={{ kind: 'failed', request, message: 'You were signed out: your session ended.', signedOut: true }}
        onRetry={() => {}}
        onDismiss={() => {}}
      />,
    );
    expect(screen.getByRole('alert').textContent).toContain('You were signed out');
    expect(screen.queryByRole('button')).toBeNull();
  });
});
