import { Avatar, Button, Layout, Menu, Space, Typography } from 'antd';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, currentUser, token } from './api';
import { toggleLanguage } from './i18n';
import { boardRoute } from './model/board';
import { AccessPage } from './pages/AccessPage';
import { AuditPage } from './pages/AuditPage';
import { BoardPage } from './pages/BoardPage';
import { DataSetsPage } from './pages/DataSetsPage';
import { FlowEditor } from './pages/FlowEditor';
import { FlowList } from './pages/FlowList';
import { ImportPage } from './pages/ImportPage';
import { IntegrationsPage } from './pages/IntegrationsPage';
import { OrdersPage } from './pages/OrdersPage';
import { PeoplePage } from './pages/PeoplePage';
import { TasksPage } from './pages/TasksPage';
import { TemplatesPage } from './pages/TemplatesPage';

// The analytics (ECharts) load when first opened.
const AnalyticsPage = lazy(() => import('./pages/analytics/AnalyticsPage'));

/**
 * `#/flows/<key>` opens a flow, `#/analytics/<key>/<view>` its analytics, `#/templates` the
 * template gallery, `#/datasets[/<key>]` the data sets, `#/integrations` the integrations, `#/people` and `#/audit` (admins) people
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

/** The pages of the top bar, in order (each `#/<name>`, its title `app.<name>`). */
const PAGES = ['orders', 'tasks', 'templates', 'import', 'datasets', 'integrations'] as const;
/** The pages only admins see (the server refuses their endpoints to anyone else). */
const ADMIN_PAGES = ['people', 'audit'] as const;

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
  if (board) return <BoardPage key={board.flow} route={board} />;
  const flowKey = /^\/flows\/([a-z0-9_-]+)/.exec(route)?.[1];
  const analytics = /^\/analytics\/([a-z0-9_-]+)(?:\/([a-z]+))?/.exec(route);
  const pages = ['flows', ...PAGES, ...(admin ? ADMIN_PAGES : [])];
  const current = flowKey
    ? 'flows'
    : (pages.find((name) => route.startsWith(`/${name}`)) ?? 'flows');
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
          selectedKeys={[current]}
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
      {flowKey ? (
        <FlowEditor key={flowKey} flowKey={flowKey} />
      ) : analytics ? (
        <Suspense fallback={null}>
          <AnalyticsPage key={analytics[1]} flowKey={analytics[1]} view={analytics[2]} />
        </Suspense>
      ) : admin && route.startsWith('/people') ? (
        <PeoplePage />
      ) : admin && route.startsWith('/audit') ? (
        <AuditPage />
      ) : route.startsWith('/datasets') ? (
        <DataSetsPage route={route} />
      ) : route.startsWith('/integrations') ? (
        <IntegrationsPage />
      ) : route.startsWith('/templates') ? (
        <TemplatesPage />
      ) : route.startsWith('/import') ? (
        <ImportPage key={route} />
      ) : route.startsWith('/tasks') ? (
        <TasksPage />
      ) : route.startsWith('/orders') ? (
        <OrdersPage key={route} />
      ) : (
        <FlowList />
      )}
    </Layout>
  );
}
