import { useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { logIn } from '../../api/user';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { usePageTitle } from '../../components/usePageTitle';
import { useSubmit } from '../../components/useSubmit';
import { useAuth } from './AuthContext';

export function fromState(state: unknown): string {
  if (typeof state === 'object' && state !== null && 'from' in state) {
    const from = (state as { from: unknown }).from;
    // Only a path on this site, never another origin.
    if (typeof from === 'string' && from.startsWith('/') && !from.startsWith('//')) return from;
  }
  return '/';
}

export function LoginPage() {
  usePageTitle('Log in');
  const { signedIn, notice } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, onSubmit } = useSubmit(async () => {
    signedIn(await logIn(email.trim(), password));
    navigate(fromState(location.state), { replace: true });
  });

  return (
    <section className="narrow">
      <h1>Log in</h1>
      {notice && <Alert kind="info">{notice}</Alert>}
      {error && <Alert kind="error">{error.message}</Alert>}
      <form onSubmit={onSubmit} noValidate>
        <Field label="Email" type="email" autoComplete="email" required value={email}
          onChange={(e) => setEmail(e.target.value)} error={error?.fields.email} />
        <Field label="Password" type="password" autoComplete="current-password" required value={password}
          onChange={(e) => setPassword(e.target.value)} error={error?.fields.password} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <p>
        New to PeerPrep? <Link to="/signup">Create an account</Link>.
      </p>
    </section>
  );
}
