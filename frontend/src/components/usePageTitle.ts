import { useEffect } from 'react';

/** Sets the tab's title, which screen readers announce on navigation. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · PeerPrep`;
  }, [title]);
}
