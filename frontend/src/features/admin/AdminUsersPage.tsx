// Every account, with search and a role filter in the address, and per account a button that
// gives or takes the admin role (`PATCH /users/{id}/role`).
import { useEffect, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { ApiError, describeError } from '../../api/errors';
import { listUsers, setRole, type Role, type User, type UserPage } from '../../api/user';
import { Alert } from '../../components/Alert';
import { usePageTitle } from '../../components/usePageTitle';
import { useAuth } from '../auth/AuthContext';
import { AdminNav } from './AdminNav';
import './admin.css';

const PER_PAGE = 20;
const ROLES: readonly Role[] = ['user', 'admin'];

export interface UserListFilter {
  q: string;
  role: Role | '';
  page: number;
}

/** The filters live in the address, as on the question bank. */
export function readUserFilter(params: URLSearchParams): UserListFilter {
  const role = params.get('role') ?? '';
  const page = Number(params.get('page') ?? '1');
  return {
    q: params.get('q') ?? '',
    role: (ROLES as readonly string[]).includes(role) ? (role as Role) : '',
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

/** The sentence after a failed role change. */
export function describeRoleError(error: unknown, user: User): string {
  if (error instanceof ApiError && error.code === 'last_admin') {
    return `PeerPrep needs at least one admin, so ${user.username} stays an admin. Make someone else an admin first.`;
  }
  if (error instanceof ApiError && error.status === 404) return `The account ${user.username} no longer exists.`;
  return describeError(error).message;
}

type Message = { kind: 'success' | 'error'; text: string };

export function AdminUsersPage() {
  usePageTitle('Manage users');
  const { user: me, sessionEnded } = useAuth();
  const [params, setParams] = useSearchParams();
  const { q, role, page } = readUserFilter(params);
  const [search, setSearch] = useState(q);
  const [result, setResult] = useState<UserPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [changing, setChanging] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    listUsers({ q, role, page, perPage: PER_PAGE }).then(
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
  }, [q, role, page]);

  function update(changes: Record<string, string>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  }

  function onSearch(event: FormEvent) {
    event.preventDefault();
    update({ q: search.trim() });
  }

  async function changeRole(user: User, next: Role) {
    const self = user.id === me?.id;
    // Demoting yourself ends every one of your sessions, this one included.
    if (self && next === 'user' && !window.confirm('Remove your own admin role? You will be signed out everywhere.')) {
      return;
    }
    setChanging(user.id);
    setMessage(null);
    try {
      const updated = await setRole(user.id, next);
      if (self && updated.role === 'user') {
        sessionEnded('ended');
        return;
      }
      setResult((r) => r && { ...r, items: r.items.map((u) => (u.id === updated.id ? updated : u)) });
      setMessage({
        kind: 'success',
        text: updated.role === 'admin' ? `${updated.username} is now an admin.` : `${updated.username} is now a user (no longer an admin).`,
      });
    } catch (e) {
      setMessage({ kind: 'error', text: describeRoleError(e, user) });
    } finally {
      setChanging(null);
    }
  }

  const pages = result ? Math.max(1, Math.ceil(result.total / PER_PAGE)) : 1;

  return (
    <section>
      <AdminNav />
      <h1>Manage users</h1>
      <p className="hint">Taking away an admin role signs that person out everywhere.</p>
      <form className="filters" onSubmit={onSearch} role="search">
        <div className="field">
          <label htmlFor="user-q">Search by username or email</label>
          <div className="inline">
            <input id="user-q" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
            <button type="submit">Search</button>
          </div>
        </div>
        <div className="field">
          <label htmlFor="user-role">Role</label>
          <select id="user-role" value={role} onChange={(e) => update({ role: e.target.value })}>
            <option value="">Any role</option>
            <option value="user">Users</option>
            <option value="admin">Admins</option>
          </select>
        </div>
      </form>

      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      {error && <Alert kind="error">{error}</Alert>}
      {!result && !error && (
        <p className="loading" role="status">
          Loading…
        </p>
      )}
      {result && (
        <>
          <p role="status">
            {result.total === 0
              ? 'No accounts match these filters.'
              : `${result.total} account${result.total === 1 ? '' : 's'}, page ${result.page} of ${pages}.`}
          </p>
          <ul className="question-list">
            {result.items.map((user) => {
              const next: Role = user.role === 'admin' ? 'user' : 'admin';
              return (
                <li key={user.id} className="admin-row">
                  <div className="admin-row-main">
                    <strong>{user.username}</strong>
                    {user.id === me?.id && <span className="you"> (you)</span>}
                    <div className="meta">
                      <span className={`badge badge-${user.role}`}>{user.role}</span>
                      <span>{user.email}</span>
                      <span>Joined {new Date(user.created_at).toLocaleDateString()}</span>
                    </div>
                  </div>
                  <div className="row-actions">
                    <button type="button" disabled={changing !== null} onClick={() => void changeRole(user, next)}>
                      {changing === user.id ? 'Changing…' : next === 'admin' ? 'Make admin' : 'Make user'}
                      {' '}<span className="visually-hidden">({user.username})</span>
                    </button>
                  </div>
                </li>
              );
            })}
          </ul>
          {pages > 1 && (
            <nav className="pager" aria-label="Pages">
              <button type="button" disabled={page <= 1} onClick={() => update({ page: String(page - 1) })}>
                Previous page
              </button>
              <span>
                Page {page} of {pages}
              </span>
              <button type="button" disabled={page >= pages} onClick={() => update({ page: String(page + 1) })}>
                Next page
              </button>
            </nav>
          )}
        </>
      )}
    </section>
  );
}
