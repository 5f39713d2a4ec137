// What the home page shows while matching runs and after it ends, driven only by props
// (the state from machine.ts and the current time), so each is tested as rendered.
import { topicLabel } from '../../api/questions';
import { Alert } from '../../components/Alert';
import { LANGUAGES } from './languages';
import { clock, waitView, type ActiveState, type JoinRequest, type MatchState } from './machine';

export function Outcome(props: { state: MatchState; onRetry(request: JoinRequest): void; onDismiss(): void }) {
  const { state } = props;
  switch (state.kind) {
    case 'timedOut':
      return (
        <Alert kind="info">
          <p>Nobody was free to match with you this time.</p>
          <button type="button" className="primary" onClick={() => props.onRetry(state.request)}>
            Try again
          </button>
        </Alert>
      );
    case 'cancelled':
      return state.reason === 'replaced' ? (
        <Alert kind="info">
          <p>You started matching in another tab or device, so this one stopped. That one is searching now.</p>
          <button type="button" onClick={() => props.onRetry(state.request)}>
            Search here instead
          </button>
        </Alert>
      ) : (
        <Alert kind="info">Matching cancelled.</Alert>
      );
    case 'failed':
      return (
        <Alert kind="error">
          <p>{state.message}</p>
          {state.request && !state.signedOut && (
            <button type="button" onClick={() => props.onRetry(state.request as JoinRequest)}>
              Try again
            </button>
          )}
        </Alert>
      );
    case 'matched':
      return <Alert kind="success">Matched! Opening your room…</Alert>;
    default:
      return null;
  }
}

export function WaitingPanel({ state, now, onCancel }: { state: ActiveState; now: number; onCancel(): void }) {
  const wait = 'wait' in state ? state.wait : null;
  const view = wait ? waitView(state.request, wait, now) : null;
  const topics = state.request.topics.map(topicLabel).join(', ');
  return (
    <div className="card waiting" aria-labelledby="waiting-heading">
      <h2 id="waiting-heading">
        {state.kind === 'cancelling' ? 'Cancelling…' : view ? 'Looking for a peer…' : 'Connecting…'}
      </h2>
      <p>
        {state.request.difficulty} · {topics} · {LANGUAGES.find((l) => l.id === state.request.language)?.name}
      </p>
      {view && (
        <>
          <p className="timer" aria-label={`Waiting for ${view.elapsedSecs} seconds`}>
            {clock(view.elapsedSecs)}
          </p>
          <p className="hint">
            {view.remainingSecs > 0 ? `We will keep looking for ${clock(view.remainingSecs)} more.` : 'Almost out of time…'}
            {wait && wait.waiting > 1 && ` ${wait.waiting} people are waiting.`}
          </p>
          <div role="status" aria-live="polite">
            {state.kind === 'queued' && state.requeued && (
              <p>Your match fell through (no question was available); you kept your place in the queue.</p>
            )}
            {view.relaxed.map((line) => (
              <p key={line} className="relaxed">
                {line}
              </p>
            ))}
          </div>
        </>
      )}
      <button type="button" onClick={onCancel} disabled={state.kind === 'cancelling'}>
        Cancel
      </button>
    </div>
  );
}

