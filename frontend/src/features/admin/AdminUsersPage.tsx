// Placeholder until this page is built (issue 11).
export function AdminUsersPage() {
  return <h1>AdminUsersPage</h1>;
}
