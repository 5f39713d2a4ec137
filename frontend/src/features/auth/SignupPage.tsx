import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { signUp } from '../../api/user';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { usePageTitle } from '../../components/usePageTitle';
import { useSubmit } from '../../components/useSubmit';
import { useAuth } from './AuthContext';

export function SignupPage() {
  usePageTitle('Sign up');
  const { signedIn } = useAuth();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, onSubmit } = useSubmit(async () => {
    signedIn(await signUp(email.trim(), username.trim(), password));
    navigate('/', { replace: true });
  });

  return (
    <section className="narrow">
      <h1>Create your account</h1>
      {error && <Alert kind="error">{error.message}</Alert>}
      <form onSubmit={onSubmit} noValidate>
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
