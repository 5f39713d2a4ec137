/** What a list says, politely, while its first answer is on the way. */
export function Loading() {
  return (
    <p className="loading" role="status">
      Loading…
    </p>
  );
}
