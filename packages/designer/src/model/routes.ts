/** The pages of the top bar, in order (each `#/<name>`, its title `app.<name>`). */
export const PAGES = [
  'orders',
  'tasks',
  'templates',
  'import',
  'intake',
  'datasets',
  'integrations',
] as const;
/** The pages only admins see (the server refuses their endpoints to anyone else). */
export const ADMIN_PAGES = ['people', 'audit'] as const;

/** What a route (the hash without `#`) draws under the top bar. */
export type RoutePage =
  'flows' | 'flow' | 'analytics' | (typeof PAGES)[number] | (typeof ADMIN_PAGES)[number];

/**
 * The page a route draws: `/flows/<key>` a flow's editor, `/analytics/<key>` its analytics,
 * `/<name>…` that page of the top bar (an admin page only for admins), anything else the flow
 * list. The top bar's selection and the page shown both come from here, so they cannot disagree.
 */
export function routePage(route: string, admin: boolean): RoutePage {
  if (/^\/flows\/[a-z0-9_-]+/.test(route)) return 'flow';
  if (/^\/analytics\/[a-z0-9_-]+/.test(route)) return 'analytics';
  const pages = [...PAGES, ...(admin ? ADMIN_PAGES : [])];
  return pages.find((name) => route.startsWith(`/${name}`)) ?? 'flows';
}

/**
 * The top bar's item a page is under: a flow's editor under Flows; a flow's analytics under
 * none (the bar has no item for it — it is opened from its flow).
 */
export function menuItem(page: RoutePage): string | undefined {
  return page === 'flow' ? 'flows' : page === 'analytics' ? undefined : page;
}
