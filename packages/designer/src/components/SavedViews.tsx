import { Button, Checkbox, Input, Space } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { messageOf } from '../pages/integrations/message-of';

interface View<S> {
  id: number;
  name: string;
  settings: S;
  shared: boolean;
  mine: boolean;
  owner: string;
}

/**
 * A list page's saved views (`/api/views`): the person's own and the ones others share, each a
 * button that applies its settings; save the current settings under a name, share with
 * everyone, delete one's own.
 */
export function SavedViews<S extends object>(props: {
  page: string;
  current: S;
  onApply(settings: S): void;
  /** Where the page kept its views in the browser before: uploaded once, then forgotten. */
  legacyKey?: string;
}) {
  const { t } = useTranslation();
  const [views, setViews] = useState<View<S>[]>([]);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [error, setError] = useState<string>();

  const load = useCallback(
    () =>
      api<{ items: View<S>[] }>('GET', `/views?page=${props.page}`).then(
        (r) => setViews(r.items),
        (e) => setError(messageOf(e)),
      ),
    [props.page],
  );
  useEffect(() => {
    const { legacyKey, page } = props;
    const uploads = JSON.parse((legacyKey && localStorage.getItem(legacyKey)) || '[]') as ({
      name: string;
    } & S)[];
    void Promise.all(
      uploads.map(({ name: n, ...settings }) =>
        api('PUT', `/views/${page}/${encodeURIComponent(n)}`, { settings }),
      ),
    )
      .then(() => uploads.length && localStorage.removeItem(legacyKey!))
      .finally(() => void load());
  }, [props.page, props.legacyKey, load]);

  const save = async () => {
    try {
      await api('PUT', `/views/${props.page}/${encodeURIComponent(name.trim())}`, {
        settings: props.current,
        shared,
      });
      setNaming(false);
      setName('');
      setError(undefined);
      await load();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const remove = async (view: View<S>) => {
    try {
      await api('DELETE', `/views/${view.id}`);
      await load();
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <span className="inline saved-views" data-testid="saved-views">
      {views.map((v) => (
        <Space.Compact key={v.id} className="chip">
          <Button
            title={v.mine ? undefined : t('views.sharedBy', { owner: v.owner })}
            onClick={() => props.onApply(v.settings)}
          >
            {v.name}
            {v.shared && ' ⇄'}
          </Button>
          {v.mine && (
            <Button aria-label={t('views.delete', { name: v.name })} onClick={() => void remove(v)}>
              ×
            </Button>
          )}
        </Space.Compact>
      ))}
      {naming ? (
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <Input
            name="view-name"
            autoFocus
            placeholder={t('orders.viewName')}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <Checkbox
            name="view-shared"
            checked={shared}
            onChange={(e) => setShared(e.target.checked)}
          >
            {t('views.share')}
          </Checkbox>
          <Button type="primary" htmlType="submit" disabled={!name.trim()}>
            {t('views.save')}
          </Button>
          <Button onClick={() => setNaming(false)}>{t('views.cancel')}</Button>
        </form>
      ) : (
        <Button onClick={() => setNaming(true)}>{t('orders.saveView')}</Button>
      )}
      {error && <span className="error">{error}</span>}
    </span>
  );
}
