import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/errors';
import * as users from '../../api/user';
import type { Auth } from '../auth/AuthContext';
import { AdminUsersPage, readUserFilter } from './AdminUsersPage';

vi.mock('../../api/user', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api/user')>()),
  listUsers: vi.fn(),
  setRole: vi.fn(),
}));

const admin: users.User = {
  id: 'u-admin',
  email: 'admin@peerprep.local',
  username: 'admin',
  role: 'admin',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};
const ada: users.User = { ...admin, id: 'u-ada', email: 'ada@example.com', username: 'ada', role: 'user' };

const sessionEnded = vi.fn();
vi.mock('../auth/AuthContext', () => ({
  useAuth: (): Partial<Auth> => ({ user: admin, sessionEnded }),
}));

afterEach(cleanup);
beforeEach(() => {
  vi.clearAllMocks();
  vi.mocked(users.listUsers).mockResolvedValue({ items: [admin, ada], total: 2, page: 1, per_page: 20 });
});

function renderPage(path = '/admin/users') {
  render(
    <MemoryRouter initialEntries={[path]}>
      <AdminUsersPage />
    </MemoryRouter>,
  );
}

it('reads the filters from the address', () => {
  expect(readUserFilter(new URLSearchParams('q=ada&role=admin&page=2'))).toEqual({ q: 'ada', role: 'admin', page: 2 });
  expect(readUserFilter(new URLSearchParams('role=owner&page=0'))).toEqual({ q: '', role: '', page: 1 });
});

it('lists the accounts with the filters and marks your own', async () => {
  renderPage('/admin/users?q=ad&role=user');
  expect(screen.getByRole('heading', { level: 1, name: 'Manage users' })).toBeTruthy();
  expect(await screen.findByText('2 accounts, page 1 of 1.')).toBeTruthy();
  expect(users.listUsers).toHaveBeenCalledWith({ q: 'ad', role: 'user', page: 1, perPage: 20 });
  const mine = screen.getByText('(you)').closest('li');
  expect(mine && within(mine).getByText('admin@peerprep.local')).toBeTruthy();
  expect((screen.getByLabelText('Search by username or email') as HTMLInputElement).value).toBe('ad');
  expect((screen.getByLabelText('Role') as HTMLSelectElement).value).toBe('user');
});

it('makes a user an admin and says so', async () => {
  vi.mocked(users.setRole).mockResolvedValue({ ...ada, role: 'admin' });
  renderPage();
  await userEvent.click(await screen.findByRole('button', { name: 'Make admin (ada)' }));
  expect(users.setRole).toHaveBeenCalledWith('u-ada', 'admin');
  expect((await screen.findByText('ada is now an admin.')).getAttribute('role')).toBe('status');
  expect(screen.getByRole('button', { name: 'Make user (ada)' })).toBeTruthy();
});

it('the last admin is kept, with a sentence saying why', async () => {
  vi.spyOn(window, 'confirm').mockReturnValue(true);
  vi.mocked(users.setRole).mockRejectedValue(new ApiError(409, { code: 'last_admin', message: '' }));
  renderPage();
  await userEvent.click(await screen.findByRole('button', { name: 'Make user (admin)' }));
  expect(window.confirm).toHaveBeenCalled();
  expect((await screen.findByRole('alert')).textContent).toMatch(/^PeerPrep needs at least one admin/);
  expect(sessionEnded).not.toHaveBeenCalled();
});

it('demoting yourself is asked first, and not done when declined', async () => {
  vi.spyOn(window, 'confirm').mockReturnValue(false);
  renderPage();
  await userEvent.click(await screen.findByRole('button', { name: 'Make user (admin)' }));
  expect(users.setRole).not.toHaveBeenCalled();
});
