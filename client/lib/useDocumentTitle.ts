import { useEffect } from 'react';

/** The tab's title, most specific part first: "Ceph storage · UX Meetup · Roundtable". */
export function documentTitle(parts: readonly (string | null | undefined)[]): string {
  return [...parts.map((p) => p?.trim()).filter((p): p is string => Boolean(p)), 'Roundtable'].join(' · ');
}

/** Names the page in the browser tab, so several tabs (four projectors, say) can be told apart. */
export function useDocumentTitle(parts: readonly (string | null | undefined)[]): void {
  const title = documentTitle(parts);
  useEffect(() => {
    document.title = title;
  }, [title]);
}
