// Who is signed in, for the whole app. The account is read once at start (`GET /users/me`,
// which refreshes silently); a sign-out the API client reports (a refresh that failed, a
// session ended elsewhere) clears it and leaves a message for the log-in page.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { onSignedOut } from '../../api';
import type { SignedOutReason } from '../../api/client';
import * as users from '../../api/user';
import type { User } from '../../api/user';

export interface Auth {
  /** undefined while the first `/users/me` is in flight. */
  user: User | null | undefined;
  /** Why the user was signed out, shown on the log-in page once. */
  notice: string | null;
  signedIn(user: User): void;
  logOut(): Promise<void>;
  /** The app learnt elsewhere (a websocket closed 1008) that the session ended. */
  sessionEnded(reason: SignedOutReason): void;
  clearNotice(): void;
}

const AuthContext = createContext<Auth | null>(null);

/** The log-in page's message; null for a visitor who never had a session in this browser. */
export function signedOutNotice(reason: SignedOutReason, wasSignedIn: boolean): string | null {
  if (reason === 'none') {
    return wasSignedIn ? 'You were signed out (perhaps in another tab). Please log in again.' : null;
  }
  return reason === 'ended'
    ? 'You were signed out because this session was ended (a log-out or password change elsewhere). Please log in again.'
    : 'You were signed out because your session expired. Please log in again.';
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);
  const userRef = useRef(user);
  useEffect(() => {
    userRef.current = user;
  }, [user]);

  const sessionEnded = useCallback((reason: SignedOutReason) => {
    // Also on a fresh load: a cookie that names an ended or expired session deserves a word.
    const notice = signedOutNotice(reason, Boolean(userRef.current));
    if (notice) setNotice(notice);
    setUser(null);
  }, []);

  useEffect(() => {
    onSignedOut(sessionEnded);
    let live = true;
    users.me().then(
      (account) => live && setUser(account),
      () => live && setUser(null),
    );
    return () => {
      live = false;
    };
  }, [sessionEnded]);

  const value = useMemo<Auth>(
    () => ({
      user,
      notice,
      signedIn: (account) => {
        setNotice(null);
        setUser(account);
      },
      logOut: async () => {
        try {
          await users.logOut();
        } catch {
          // Already ended or unreachable: either way this tab forgets the user.
        }
        setUser(null);
      },
      sessionEnded,
      clearNotice: () => setNotice(null),
    }),
    [user, notice, sessionEnded],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}
