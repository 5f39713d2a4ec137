// The user service: accounts, sessions, profile.
import { api } from './index';
import { query } from './client';

const B = '/user-service-api';

export type Role = 'user' | 'admin';

/** What other members see of an account: a chat sender, an attempt's peer. */
export interface PublicProfile {
  id: string;
  username: string;
}

export interface User {
  id: string;
  email: string;
  username: string;
  role: Role;
  created_at: string;
  updated_at: string;
}

interface AuthResponse {
  user: User;
}

export async function signUp(email: string, username: string, password: string): Promise<User> {
  const body = { email, username, password };
  const res = await api.request<AuthResponse>('POST', `${B}/auth/signup`, { body, refresh: false });
  return res.user;
}

export async function logIn(email: string, password: string): Promise<User> {
  const body = { email, password };
  const res = await api.request<AuthResponse>('POST', `${B}/auth/login`, { body, refresh: false });
  return res.user;
}

export function logOut(): Promise<void> {
  return api.request<undefined>('POST', `${B}/auth/logout`, { refresh: false });
}

export function me(): Promise<User> {
  return api.request<User>('GET', `${B}/users/me`);
}

export function updateMe(changes: { email?: string; username?: string }): Promise<User> {
  return api.request<User>('PATCH', `${B}/users/me`, { body: changes });
}

export function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  const body = { current_password: currentPassword, new_password: newPassword };
  return api.request<undefined>('POST', `${B}/users/me/password`, { body });
}

export interface UserPage {
  items: User[];
  total: number;
  page: number;
  per_page: number;
}

export interface UserFilter {
  /** Part of an email or username. */
  q?: string;
  role?: Role | '';
  page?: number;
  perPage?: number;
}

/** Admin: every account, oldest first. */
export function listUsers(filter: UserFilter): Promise<UserPage> {
  const params = query({
    q: filter.q?.trim(),
    role: filter.role,
    page: filter.page,
    per_page: filter.perPage,
  });
  return api.request<UserPage>('GET', `${B}/users${params}`);
}

/** Admin: 200 the account; 404; 409 `last_admin` (that would leave no admin). */
export function setRole(id: string, role: Role): Promise<User> {
  return api.request<User>('PATCH', `${B}/users/${encodeURIComponent(id)}/role`, { body: { role } });
}
