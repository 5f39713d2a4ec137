import { Outlet } from 'react-router-dom';
import { Alert } from '../../components/Alert';
import { usePageTitle } from '../../components/usePageTitle';
import { useAuth } from './AuthContext';

/** Admin pages: inside RequireAuth, so the user is known; a non-admin is told, not redirected. */
export function RequireAdmin() {
  const { user } = useAuth();
  if (user?.role !== 'admin') return <NotAnAdmin />;
  return <Outlet />;
}

function NotAnAdmin() {
  usePageTitle('Admins only');
  return (
    <section>
      <h1>Admins only</h1>
      <Alert kind="error">This page is for admins. Ask an admin to give your account the admin role.</Alert>
    </section>
  );
}
