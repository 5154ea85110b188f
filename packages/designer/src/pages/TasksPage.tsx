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
  return (
    <main className="page tasks">
      <h1>{t('tasks.title')}</h1>
      <p className="muted">{t('tasks.intro')}</p>
      {error && <p className="error">{error}</p>}
      {tasks.length === 0 ? (
        <p className="muted">{t('tasks.none')}</p>
      ) : (
        <table data-testid="tasks">
          <thead>
            <tr>
              <th>{t('tasks.task')}</th>
              <th>{t('tasks.queue')}</th>
              <th>{t('tasks.due')}</th>
              <th>{t('tasks.status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tasks.map((task, i) => (
              <tr
                key={task.id}
                className={`${i === current ? 'current ' : ''}priority-${task.priority}`}
                onClick={() => setCurrent(i)}
              >
                <td>
                  <strong>{text(task.title)}</strong>
                  <div className="muted">
                    {task.flow}
                    {task.orderId &&
                      ` · ${orderName(orders.get(task.orderId) ?? { id: task.orderId })}`}{' '}
                    · {t(`tasks.priority.${task.priority}`)}
                  </div>
                </td>
                <td>{task.queue}</td>
                <td className={dueClass(task.dueAt, now)}>
                  {task.dueAt ? date.format(new Date(task.dueAt)) : '—'}
                </td>
                <td>
                  {task.status === 'claimed'
                    ? t('tasks.claimedBy', {
                        who: actorName(people, task.assignee ?? '', t('workbench.system')),
                      })
                    : t('tasks.open')}
                </td>
                <td className="inline">
                  {task.status === 'open' && (
                    <button onClick={() => void act(task, 'claim')}>{t('tasks.claim')}</button>
                  )}
                  <button className="ghost" onClick={() => setReassigning(task)}>
                    {t('tasks.reassign')}
                  </button>
                  <button className="ghost" onClick={() => void act(task, 'resolve')}>
                    {t('tasks.resolve')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {reassigning && (
        <ReassignDialog
          people={[...people.values()]}
          queue={reassigning.queue}
          assignee={reassigning.assignee}
          onDone={(to) => void reassign(reassigning, to)}
          onCancel={() => setReassigning(undefined)}
        />
      )}
      <label>
        {t('tasks.comment')}
        <input name="task-comment" value={comment} onChange={(e) => setComment(e.target.value)} />
      </label>
      <section>
        <h2>{t('tasks.notifications')}</h2>
        <ul className="flow-list" data-testid="notifications">
          {notices.map((n) => (
            <li key={n.id}>
              <span>{text(n.message)}</span>
              <span className="muted">{date.format(new Date(n.createdAt))}</span>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
