// Placeholder until this page is built (issue 11).
export function HistoryPage() {
  return <h1>HistoryPage</h1>;
}
