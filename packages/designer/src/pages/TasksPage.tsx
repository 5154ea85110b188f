import { Alert, Button, Card, Empty, Input, Space, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { ListTable } from '../components/ListTable';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { io } from 'socket.io-client';
import type { Label } from '@ordo/engine';
import { api, token } from '../api';
import { dueClass } from '../model/due';
import { labelIn } from '../model/flow-graph';
import { actorName, orderName } from '../model/order-names';
import { useOrders, usePeople } from '../components/use-names';
import { ReassignDialog } from '../components/WorkbenchDialogs';
import { messageOf } from './integrations/message-of';

interface Task {
  id: number;
  orderId: string | null;
  flow: string;
  queue: string;
  title: Label;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  status: 'open' | 'claimed' | 'closed';
  assignee: string | null;
  dueAt: string | null;
  createdAt: string;
}

/** A task's priority as a tag colour: the urgent ones stand out. */
const PRIORITY_COLOURS: Record<Task['priority'], string> = {
  low: 'default',
  normal: 'blue',
  high: 'orange',
  urgent: 'red',
};

interface Notice {
  id: number;
  orderId: string;
  message: Label;
  createdAt: string;
}

/**
 * The task inbox: the open and claimed tasks of the queues the person's roles work, live
 * (new tasks and claims by others arrive without a reload), claimed and resolved here — with
 * the keyboard too (↑/↓ to move, C to claim, R to resolve) — and the notifications for them.
 */
export function TasksPage() {
  const { t, i18n } = useTranslation();
  const [tasks, setTasks] = useState<Task[]>([]);
  const [notices, setNotices] = useState<Notice[]>([]);
  const [current, setCurrent] = useState(0);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string>();
  const [now, setNow] = useState(Date.now());
  const [reassigning, setReassigning] = useState<Task>();
  const people = usePeople(reassigning);
  const orders = useOrders(tasks.map((task) => task.orderId));
  const load = useCallback(async () => {
    try {
      const [list, notes] = await Promise.all([
        api<{ items: Task[] }>('GET', '/tasks?limit=200'),
        api<{ items: Notice[] }>('GET', '/notifications?limit=20'),
      ]);
      setTasks(list.items);
      setNotices(notes.items);
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);

  useEffect(() => {
    void load();
    const socket = io('/live', { auth: { token: token.get() }, transports: ['websocket'] });
    // Read the list again once connected: what arrived before the connection is not missed.
    socket.on('connect', () => void load());
    // The server puts each client in its person's and roles' rooms: task events come unasked.
    for (const name of [
      'task.opened',
      'task.claimed',
      'task.reassigned',
      'task.closed',
      'task.escalated',
      'notification',
    ])
      socket.on(name, () => void load());
    const clock = setInterval(() => setNow(Date.now()), 30_000);
    return () => {
      socket.close();
      clearInterval(clock);
    };
  }, [load]);

  async function reassign(task: Task, to: string | null) {
    setReassigning(undefined);
    setError(undefined);
    try {
      await api('POST', `/tasks/${task.id}/reassign`, { assignee: to });
      await load();
    } catch (e) {
      setError(messageOf(e));
    }
  }

  async function act(task: Task, action: 'claim' | 'resolve') {
    setError(undefined);
    try {
      await api(
        'POST',
        `/tasks/${task.id}/${action}`,
        action === 'resolve' && comment ? { comment } : undefined,
      );
      setComment('');
      await load();
    } catch (e) {
      setError(messageOf(e));
    }
  }

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.target as HTMLElement).closest('input, textarea, select, [role=dialog]')) return;
      const task = tasks[current];
      if (event.key === 'ArrowDown') setCurrent((c) => Math.min(c + 1, tasks.length - 1));
      else if (event.key === 'ArrowUp') setCurrent((c) => Math.max(c - 1, 0));
      else if (task && event.key.toLowerCase() === 'c' && task.status === 'open')
        void act(task, 'claim');
      else if (task && event.key.toLowerCase() === 'r') void act(task, 'resolve');
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' });
  const text = (label: Label) => labelIn(label, i18n.language, '');
  const columns: TableProps<Task>['columns'] = [
    {
      key: 'task',
      title: t('tasks.task'),
      render: (_, task) => (
        <>
          <Space size={6}>
            <strong>{text(task.title)}</strong>
            <Tag color={PRIORITY_COLOURS[task.priority]}>
              {t(`tasks.priority.${task.priority}`)}
            </Tag>
          </Space>
          <div className="muted">
            {task.flow}
            {task.orderId && ` · ${orderName(orders.get(task.orderId) ?? { id: task.orderId })}`}
          </div>
        </>
      ),
    },
    { key: 'queue', title: t('tasks.queue'), dataIndex: 'queue', width: 140 },
    {
      key: 'due',
      title: t('tasks.due'),
      width: 170,
      onCell: (task) => ({ className: dueClass(task.dueAt, now) }),
      render: (_, task) => (task.dueAt ? date.format(new Date(task.dueAt)) : '—'),
    },
    {
      key: 'status',
      title: t('tasks.status'),
      width: 200,
      render: (_, task) =>
        task.status === 'claimed' ? (
          <Tag color="processing">
            {t('tasks.claimedBy', {
              who: actorName(people, task.assignee ?? '', t('workbench.system')),
            })}
          </Tag>
        ) : (
          <Tag>{t('tasks.open')}</Tag>
        ),
    },
    {
      key: 'actions',
      width: 280,
      render: (_, task) => (
        <Space size={6}>
          {task.status === 'open' && (
            <Button type="primary" size="small" onClick={() => void act(task, 'claim')}>
              {t('tasks.claim')}
            </Button>
          )}
          <Button size="small" onClick={() => setReassigning(task)}>
            {t('tasks.reassign')}
          </Button>
          <Button size="small" onClick={() => void act(task, 'resolve')}>
            {t('tasks.resolve')}
          </Button>
        </Space>
      ),
    },
  ];
  return (
    <main className="page tasks">
      <Typography.Title level={1}>{t('tasks.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('tasks.intro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} />}
      <div className="tasks-body">
        <div className="tasks-main">
          <ListTable<Task>
            empty={t('tasks.none')}
            data-testid="tasks"
            columns={columns}
            dataSource={tasks}
            rowClassName={(task, i) =>
              `${i === current ? 'current ' : ''}priority-${task.priority}`
            }
            onRow={(_, i) => ({ onClick: () => setCurrent(i ?? 0) })}
          />
          <label className="task-comment">
            {t('tasks.comment')}
            <Input
              name="task-comment"
              value={comment}
              onChange={(e) => setComment(e.target.value)}
            />
          </label>
        </div>
        <Card size="small" title={t('tasks.notifications')} className="notifications">
          {notices.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tasks.noNotifications')} />
          ) : (
            <ul className="notice-list" data-testid="notifications">
              {notices.map((n) => (
                <li key={n.id}>
                  <span>{text(n.message)}</span>
                  <Typography.Text type="secondary">
                    {date.format(new Date(n.createdAt))}
                  </Typography.Text>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
      {reassigning && (
        <ReassignDialog
          people={[...people.values()]}
          queue={reassigning.queue}
          assignee={reassigning.assignee}
          onDone={(to) => void reassign(reassigning, to)}
          onCancel={() => setReassigning(undefined)}
        />
      )}
    </main>
  );
}
