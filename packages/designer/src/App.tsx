import { Avatar, Button, Layout, Menu, Space, Spin, Typography } from 'antd';
import { type ComponentType, lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, currentUser, token } from './api';
import { toggleLanguage } from './i18n';
import { boardRoute } from './model/board';
import { ADMIN_PAGES, menuItem, PAGES, routePage } from './model/routes';
import { AccessPage } from './pages/AccessPage';
import { FlowList } from './pages/FlowList';

/**
 * Every page loads when first opened (its own chunk): the sign-in and the flow list do not wait
 * for the canvas, the tables and date pickers, or the analytics (ECharts).
 */
function page<P extends object, K extends string>(
  load: () => Promise<{ [name in K]: ComponentType<P> }>,
  name: K,
) {
  return lazy(() => load().then((m) => ({ default: m[name] })));
}
const AnalyticsPage = lazy(() => import('./pages/analytics/AnalyticsPage'));
const AuditPage = page(() => import('./pages/AuditPage'), 'AuditPage');
const BoardPage = page(() => import('./pages/BoardPage'), 'BoardPage');
const DataSetsPage = page(() => import('./pages/DataSetsPage'), 'DataSetsPage');
const FlowEditor = page(() => import('./pages/FlowEditor'), 'FlowEditor');
const ImportPage = page(() => import('./pages/ImportPage'), 'ImportPage');
const IntakePage = page(() => import('./pages/IntakePage'), 'IntakePage');
const IntegrationsPage = page(() => import('./pages/IntegrationsPage'), 'IntegrationsPage');
const OrdersPage = page(() => import('./pages/OrdersPage'), 'OrdersPage');
const PeoplePage = page(() => import('./pages/PeoplePage'), 'PeoplePage');
const TasksPage = page(() => import('./pages/TasksPage'), 'TasksPage');
const TemplatesPage = page(() => import('./pages/TemplatesPage'), 'TemplatesPage');

/**
 * `#/flows/<key>` opens a flow, `#/analytics/<key>/<view>` its analytics, `#/templates` the
 * template gallery, `#/intake[?message=<id>]` the intake channels and messages, `#/datasets[/<key>]` the data sets, `#/integrations` the integrations, `#/people` and `#/audit` (admins) people
 * and the audit log, `#/board/<key>[?states=a,b&lang=zh-CN]` a flow's shop-floor board (full
 * screen, without the top bar); anything else is the flow list.
 */
function useRoute(): string {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return hash.replace(/^#/, '');
}

export function App() {
  const { t } = useTranslation();
  const route = useRoute();
  const [signedIn, setSignedIn] = useState(Boolean(token.get()));
  const [setupNeeded, setSetupNeeded] = useState<boolean | undefined>();
  const [admin, setAdmin] = useState(false);
  const [me, setMe] = useState<string>();

  useEffect(() => {
    void api<{ needed: boolean }>('GET', '/auth/setup').then((r) => setSetupNeeded(r.needed));
  }, [signedIn]);
  useEffect(() => {
    if (signedIn)
      void currentUser()
        .then((user) => (setAdmin(user.roles.includes('admin')), setMe(user.name)))
        .catch(() => setAdmin(false));
  }, [signedIn]);

  if (setupNeeded === undefined) return null;
  if (setupNeeded || !signedIn)
    return <AccessPage setup={setupNeeded} onSignedIn={() => setSignedIn(true)} />;
  const board = boardRoute(route);
  if (board)
    return (
      <Suspense fallback={<Loading />}>
        <BoardPage key={board.flow} route={board} />
      </Suspense>
    );
  const shown = routePage(route, admin);
  const flowKey = /^\/flows\/([a-z0-9_-]+)/.exec(route)?.[1];
  const analytics = /^\/analytics\/([a-z0-9_-]+)(?:\/([a-z]+)(?:\/([0-9a-f-]{36}))?)?/.exec(route);
  const pages = ['flows', ...PAGES, ...(admin ? ADMIN_PAGES : [])];
  const current = menuItem(shown);
  return (
    <Layout className="app">
      <Layout.Header className="topbar">
        <a className="brand" href="#/">
          <span className="brand-mark" aria-hidden>
            O
          </span>
          {t('app.title')}
        </a>
        <Menu
          className="topnav"
          mode="horizontal"
          selectedKeys={current ? [current] : []}
          items={pages.map((name) => ({
            key: name,
            label: <a href={name === 'flows' ? '#/' : `#/${name}`}>{t(`app.${name}`)}</a>,
          }))}
        />
        <Space size={4} className="topbar-end">
          <Button type="text" onClick={toggleLanguage}>
            {t('app.language')}
          </Button>
          {me && (
            <Space size={6}>
              <Avatar size="small" className="me-avatar">
                {me.slice(0, 1).toUpperCase()}
              </Avatar>
              <Typography.Text className="me-name">{me}</Typography.Text>
            </Space>
          )}
          <Button type="text" onClick={() => (token.set(null), setSignedIn(false))}>
            {t('app.signOut')}
          </Button>
        </Space>
      </Layout.Header>
      <Suspense fallback={<Loading />}>
        {shown === 'flow' && flowKey ? (
          <FlowEditor key={flowKey} flowKey={flowKey} />
        ) : shown === 'analytics' && analytics ? (
          <AnalyticsPage
            key={analytics[1]}
            flowKey={analytics[1]}
            view={analytics[2]}
            item={analytics[3]}
          />
        ) : shown === 'people' ? (
          <PeoplePage />
        ) : shown === 'audit' ? (
          <AuditPage />
        ) : shown === 'datasets' ? (
          <DataSetsPage route={route} />
        ) : shown === 'integrations' ? (
          <IntegrationsPage />
        ) : shown === 'templates' ? (
          <TemplatesPage />
        ) : shown === 'intake' ? (
          <IntakePage route={route} />
        ) : shown === 'import' ? (
          <ImportPage key={route} />
        ) : shown === 'tasks' ? (
          <TasksPage />
        ) : shown === 'orders' ? (
          <OrdersPage key={route} />
        ) : (
          <FlowList />
        )}
      </Suspense>
    </Layout>
  );
}

/** While a page's code loads. */
function Loading() {
  return (
    <div className="page-loading">
      <Spin />
    </div>
  );
}
