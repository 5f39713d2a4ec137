import { useState } from 'react';
import { ApiError, describeError } from '../../api/errors';
import { changePassword, updateMe } from '../../api/user';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { usePageTitle } from '../../components/usePageTitle';
import { useSubmit } from '../../components/useSubmit';
import { useAuth } from './AuthContext';

export function ProfilePage() {
  usePageTitle('Your profile');
  const { user } = useAuth();
  if (!user) return null;
  return (
    <section className="narrow">
      <h1>Your profile</h1>
      <p>
        Signed in as <strong>{user.username}</strong> ({user.email}){user.role === 'admin' && ', an admin'}.
      </p>
      <DetailsForm email={user.email} username={user.username} />
      <PasswordForm />
    </section>
  );
}

function DetailsForm(props: { email: string; username: string }) {
  const { signedIn } = useAuth();
  const [email, setEmail] = useState(props.email);
  const [username, setUsername] = useState(props.username);
  const [saved, setSaved] = useState(false);
  const { busy, error, onSubmit } = useSubmit(async () => {
    const changes: { email?: string; username?: string } = {};
    if (email.trim() !== props.email) changes.email = email.trim();
    if (username.trim() !== props.username) changes.username = username.trim();
    setSaved(false);
    if (Object.keys(changes).length > 0) signedIn(await updateMe(changes));
    setSaved(true);
  });

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="details-heading" className="card">
      <h2 id="details-heading">Account details</h2>
      {error && <Alert kind="error">{error.message}</Alert>}
      {saved && <Alert kind="success">Your details are saved.</Alert>}
      <Field label="Username" autoComplete="username" value={username}
        onChange={(e) => setUsername(e.target.value)} error={error?.fields.username} />
      <Field label="Email" type="email" autoComplete="email" value={email}
        onChange={(e) => setEmail(e.target.value)} error={error?.fields.email} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Saving…' : 'Save details'}
      </button>
    </form>
  );
}

function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, onSubmit } = useSubmit(async () => {
    setDone(false);
    await changePassword(current, next);
    setCurrent('');
    setNext('');
    setDone(true);
  }, describePasswordError);

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="password-heading" className="card">
      <h2 id="password-heading">Change password</h2>
      <p className="hint">
        Changing your password signs you out everywhere else (other browsers and devices). This tab stays signed in.
      </p>
      {error && <Alert kind="error">{error.message}</Alert>}
      {done && <Alert kind="success">Your password is changed, and your other sessions have ended.</Alert>}
      <Field label="Current password" type="password" autoComplete="current-password" value={current}
        onChange={(e) => setCurrent(e.target.value)} error={error?.fields.current_password} />
      <Field label="New password" type="password" autoComplete="new-password" value={next}
        hint="At least 12 characters." onChange={(e) => setNext(e.target.value)} error={error?.fields.new_password} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}

/** 403 `invalid_credentials` here means the current password was wrong. */
function describePasswordError(e: unknown) {
  const described = describeError(e);
  if (e instanceof ApiError && e.code === 'invalid_credentials') {
    described.message = 'Your current password is not right.';
    described.fields.current_password = 'This is not your current password.';
  }
  return described;
}
