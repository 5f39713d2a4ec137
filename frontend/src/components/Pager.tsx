// The pager under every paged list: "Previous page", "Page X of Y", "Next page" in a nav named
// "Pages". The page lives in the address, so the list decides what a click does (`onPage`).

/** How many pages `total` items fill, `perPage` at a time; an empty list is still one page. */
export function pageCount(total: number, perPage: number): number {
  return Math.max(1, Math.ceil(total / perPage));
}

/**
 * The status line above a paged list, e.g. "2 questions, page 1 of 1." or, when the filters
 * leave nothing, "No questions match these filters." `noun` is the singular; its plural adds "s".
 */
export function matchStatus(noun: string, total: number, page: number, pages: number): string {
  if (total === 0) return `No ${noun}s match these filters.`;
  return `${total} ${noun}${total === 1 ? '' : 's'}, page ${page} of ${pages}.`;
}

export interface PagerProps {
  /** The page shown now (1-based); it may be past `pages` when the address says so. */
  page: number;
  pages: number;
  /** Called with the page a button leads to. */
  onPage: (page: number) => void;
}

export function Pager({ page, pages, onPage }: PagerProps) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous page
      </button>
      <span>
        Page {page} of {pages}
      </span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next page
      </button>
    </nav>
  );
}
