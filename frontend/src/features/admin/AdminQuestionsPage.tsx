// Placeholder until this page is built (issue 11).
export function AdminQuestionsPage() {
  return <h1>AdminQuestionsPage</h1>;
}
