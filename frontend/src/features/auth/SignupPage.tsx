import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { describeError, type Described } from '../../api/errors';
import { signUp } from '../../api/user';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { usePageTitle } from '../../components/usePageTitle';
import { useAuth } from './AuthContext';

export function SignupPage() {
  usePageTitle('Sign up');
  const { signedIn } = useAuth();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<Described | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      signedIn(await signUp(email.trim(), username.trim(), password));
      navigate('/', { replace: true });
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  }

  return (
    <section className="narrow">
      <h1>Create your account</h1>
      {error && <Alert kind="error">{error.message}</Alert>}
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <Field label="Email" type="email" autoComplete="email" required value={email}
          onChange={(e) => setEmail(e.target.value)} error={error?.fields.email} />
        <Field label="Username" autoComplete="username" required value={username}
          hint="3 to 32 letters, digits, _, - or ." minLength={3} maxLength={32}
          onChange={(e) => setUsername(e.target.value)} error={error?.fields.username} />
        <Field label="Password" type="password" autoComplete="new-password" required value={password}
          hint="At least 12 characters. A few unrelated words make a good one." minLength={12} maxLength={128}
          onChange={(e) => setPassword(e.target.value)} error={error?.fields.password} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating your account…' : 'Sign up'}
        </button>
      </form>
      <p>
        Already have an account? <Link to="/login">Log in</Link>.
      </p>
    </section>
  );
}
