import { menuItem, routePage } from '../src/model/routes';

describe('routes', () => {
  it('draws the page a route names, and selects its item of the top bar', () => {
    const cases: [string, boolean, string, string | undefined][] = [
      ['', false, 'flows', 'flows'],
      ['/', false, 'flows', 'flows'],
      ['/flows/status-sync', false, 'flow', 'flows'],
      ['/analytics/status-sync', false, 'analytics', undefined],
      ['/analytics/status-sync/heatmap', true, 'analytics', undefined],
      ['/orders?flow=x&new=1', false, 'orders', 'orders'],
      ['/tasks', false, 'tasks', 'tasks'],
      ['/templates', false, 'templates', 'templates'],
      ['/import', false, 'import', 'import'],
      ['/intake?message=m1', false, 'intake', 'intake'],
      ['/datasets/sku-bins', false, 'datasets', 'datasets'],
      ['/integrations', false, 'integrations', 'integrations'],
      ['/people', true, 'people', 'people'],
      ['/audit', true, 'audit', 'audit'],
      // Not an admin: the admin pages are not drawn, the flow list is.
      ['/people', false, 'flows', 'flows'],
      ['/audit', false, 'flows', 'flows'],
      ['/nowhere', false, 'flows', 'flows'],
    ];
    for (const [route, admin, page, item] of cases) {
      expect([route, routePage(route, admin)]).toEqual([route, page]);
      expect([route, menuItem(routePage(route, admin))]).toEqual([route, item]);
    }
  });
});
