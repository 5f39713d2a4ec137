import { NavLink } from 'react-router-dom';
import './admin.css';

/** The admin pages' own navigation: the question bank and the accounts. */
export function AdminNav() {
  return (
    <nav aria-label="Admin" className="admin-nav">
      <ul>
        <li>
          <NavLink to="/admin/questions">Questions</NavLink>
        </li>
        <li>
          <NavLink to="/admin/users">Users</NavLink>
        </li>
      </ul>
    </nav>
  );
}
