// Placeholder until this page is built (issue 11).
export function AttemptPage() {
  return <h1>AttemptPage</h1>;
}
