// Placeholder until this page is built (issue 11).
export function QuestionEditorPage() {
  return <h1>QuestionEditorPage</h1>;
}
