// Every account, with search and a role filter in the address, and per account a button that
// gives or takes the admin role (`PATCH /users/{id}/role`).
import { useCallback, useState } from 'react';
import { ApiError, describeError } from '../../api/errors';
import { listUsers, setRole, type Role, type User } from '../../api/user';
import { Alert } from '../../components/Alert';
import { FilterSelect, SearchForm } from '../../components/Filters';
import { Loading } from '../../components/Loading';
import { matchStatus, Pager, pageCount } from '../../components/Pager';
import { useLoad } from '../../components/useLoad';
import { usePageTitle } from '../../components/usePageTitle';
import { readChoice, readPage, useUrlFilter } from '../../components/useUrlFilter';
import { useAuth } from '../auth/AuthContext';
import { AdminNav } from './AdminNav';
import './admin.css';

const ROLE_OPTIONS = [
  { value: 'user', label: 'Users' },
  { value: 'admin', label: 'Admins' },
];

const PER_PAGE = 20;
const ROLES: readonly Role[] = ['user', 'admin'];

export interface UserListFilter {
  q: string;
  role: Role | '';
  page: number;
}

/** The filters live in the address, as on the question bank. */
export function readUserFilter(params: URLSearchParams): UserListFilter {
  return { q: params.get('q') ?? '', role: readChoice(params, 'role', ROLES), page: readPage(params) };
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
  const { filter, update } = useUrlFilter(readUserFilter);
  const { q, role, page } = filter;
  const load = useCallback(() => listUsers({ q, role, page, perPage: PER_PAGE }), [q, role, page]);
  const { result, error, setResult } = useLoad(load);
  const [message, setMessage] = useState<Message | null>(null);
  const [changing, setChanging] = useState<string | null>(null);

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

  const pages = result ? pageCount(result.total, PER_PAGE) : 1;

  return (
    <section>
      <AdminNav />
      <h1>Manage users</h1>
      <p className="hint">Taking away an admin role signs that person out everywhere.</p>
      <SearchForm id="user-q" label="Search by username or email" query={q} onChange={update}>
        <FilterSelect id="user-role" param="role" label="Role" value={role} any="Any role" onChange={update} options={ROLE_OPTIONS} />
      </SearchForm>

      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      {error && <Alert kind="error">{error}</Alert>}
      {!result && !error && <Loading />}
      {result && (
        <>
          <p role="status">{matchStatus('account', result.total, result.page, pages)}</p>
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
          {pages > 1 && <Pager page={page} pages={pages} onPage={(n) => update({ page: String(n) })} />}
        </>
      )}
    </section>
  );
}
