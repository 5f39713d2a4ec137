import { useEffect, useRef } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../features/auth/AuthContext';

export function Layout() {
  const { user, logOut } = useAuth();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  useFocusMainOnNavigation();

  async function onLogOut() {
    await logOut();
    navigate('/login');
  }

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <Link to="/" className="brand">
          PeerPrep
        </Link>
        <nav aria-label="Main">
          <ul className="nav-list">
            {user && (
              <li>
                <NavLink to="/" end>
                  Practise
                </NavLink>
              </li>
            )}
            <li>
              <NavLink to="/questions">Questions</NavLink>
            </li>
            {user && (
              <li>
                <NavLink to="/history">History</NavLink>
              </li>
            )}
            {user?.role === 'admin' && (
              <li>
                {/* Active on every admin page, not only the first one it opens. */}
                <NavLink to="/admin/questions" className={() => (pathname.startsWith('/admin/') ? 'active' : '')}>
                  Admin
                </NavLink>
              </li>
            )}
            {user ? (
              <>
                <li>
                  <NavLink to="/profile">
                    <span className="signed-in-as">Signed in as </span>
                    <strong>{user.username}</strong>
                  </NavLink>
                </li>
                <li>
                  <button type="button" className="link-button" onClick={() => void onLogOut()}>
                    Log out
                  </button>
                </li>
              </>
            ) : (
              <>
                <li>
                  <NavLink to="/login">Log in</NavLink>
                </li>
                <li>
                  <NavLink to="/signup">Sign up</NavLink>
                </li>
              </>
            )}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}

/** After a move to another page (not on first load, not when only the query changes), focus
 * moves to the main content, so keyboard and screen-reader users start at the new page rather
 * than at the link they left; the new title is announced with it. */
function useFocusMainOnNavigation() {
  const { pathname } = useLocation();
  const previous = useRef(pathname);
  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    document.getElementById('main')?.focus();
  }, [pathname]);
}
