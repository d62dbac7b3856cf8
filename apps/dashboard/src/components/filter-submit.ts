import { Page, routeHref } from '../logic/route';

/**
 * The submit handler of a page's filter form: its filled fields become the page's parameters
 * (so a filtered view has a link of its own), and paging starts again.
 */
export function filterSubmit(page: Page, restartPaging: () => void) {
  return (e: Event) => {
    e.preventDefault();
    const next: Record<string, string> = {};
    for (const [k, v] of new FormData(e.currentTarget as HTMLFormElement)) {
      if (typeof v === 'string' && v.trim()) next[k] = v.trim();
    }
    restartPaging();
    location.hash = routeHref(page, next);
  };
}
