import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Actor } from '@ordo/engine';
import type { Namespace, RemoteSocket, Socket } from 'socket.io';
import { ORDO_CONFIG } from '../config/config.module';
import type { OrdoConfig } from '../config/ordo-config';
import { DomainEvents } from '../events/domain-events';
import { LiveAccess, mayRead } from './live-access';
import { room, roomsFor } from './live-rooms';

/** Resolves a bearer token (API key or login token) to the principal, as REST does. */
export interface LiveAuthenticator {
  authenticate(token: string): Promise<Actor | null> | Actor | null;
}

/** Nest injection token of the {@link LiveAuthenticator}. */
export const LIVE_AUTHENTICATOR = Symbol('LIVE_AUTHENTICATOR');

/** The token of a handshake: `auth: { token }`, or an `Authorization: Bearer` header. */
function tokenOf(socket: Socket): string | undefined {
  const fromAuth = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
  if (typeof fromAuth === 'string' && fromAuth) return fromAuth;
  const header = socket.handshake.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7) : undefined;
}

/**
 * socket.io namespace `/live`. Clients authenticate at the handshake with the same
 * credentials as the REST API, then `subscribe` to rooms (a flow, an order, a queue, all
 * flows). Changes reach them only after their transaction committed: the gateway listens to
 * DomainEvents, which publishers emit after commit. Every event carries `at`, the time it
 * was sent.
 */
// CORS: LiveAdapter applies ORDO_CORS_ORIGINS.
@WebSocketGateway({ namespace: '/live' })
export class LiveGateway implements OnGatewayInit, OnGatewayConnection, OnModuleDestroy {
  private readonly logger = new Logger('LiveGateway');
  private readonly unsubscribe: (() => void)[] = [];

  private readonly clustered: boolean;
  private namespace?: Namespace;

  constructor(
    private readonly events: DomainEvents,
    @Inject(LIVE_AUTHENTICATOR) private readonly authenticator: LiveAuthenticator,
    private readonly access: LiveAccess,
    @Inject(ORDO_CONFIG) config: OrdoConfig,
  ) {
    this.clustered = Boolean(config.redisUrl);
  }

  /** Clients connected to this process (the metrics' live gauge). */
  clients(): number {
    return this.namespace?.sockets.size ?? 0;
  }

  afterInit(namespace: Namespace): void {
    this.namespace = namespace;
    namespace.use((socket, next) => {
      const token = tokenOf(socket);
      if (!token)
        return next(new Error('unauthorized: pass auth: { token } with an API key or login token'));
      Promise.resolve(this.authenticator.authenticate(token))
        .then((actor) => {
          if (!actor) return next(new Error('unauthorized: the token is not valid'));
          socket.data.actor = actor;
          socket.data.token = token;
          next();
        })
        .catch((error: Error) => {
          this.logger.error(`live authentication failed: ${error.message}`);
          next(new Error('unauthorized'));
        });
    });

    const at = () => new Date().toISOString();
    // In embedded mode the rooms are all here: an event nobody subscribed to is not even
    // encoded. In cluster mode other processes' clients may be listening: always publish.
    const send = (rooms: string[], name: string, payload: Record<string, unknown>) => {
      if (!this.clustered && !rooms.some((r) => namespace.adapter.rooms.has(r))) return;
      namespace.to(rooms).emit(name, { ...payload, at: at() });
    };
    const orderRooms = (order: { flow: string; id: string }) => [
      room.flow(order.flow),
      room.order(order.id),
    ];
    this.unsubscribe.push(
      this.events.on('order.created', ({ order }) =>
        send(orderRooms(order), 'order.created', { order }),
      ),
      this.events.on('order.updated', ({ order }) =>
        send(orderRooms(order), 'order.updated', { order }),
      ),
      this.events.on('order.transitioned', ({ order, from, to, transition, event }) =>
        send(orderRooms(order), 'order.transitioned', {
          order,
          from,
          to,
          transition,
          event,
          version: order.version,
        }),
      ),
      this.events.on('flow.published', ({ flow, version }) =>
        send([room.flow(flow), room.flows], 'flow.published', { flow, version }),
      ),
      this.events.on('simulation.changed', ({ simulation }) =>
        send([room.flow(simulation.flow)], 'simulation.changed', { simulation }),
      ),
      this.events.on('task.changed', ({ task, change }) => {
        // Admins work every queue; everyone else hears a task through a role of its queue.
        const roles = [...task.roles, 'admin'];
        send(
          [
            ...roles.map((r) => room.tasksOf(room.queue(task.queue), r)),
            ...roles.map(room.role),
            ...(task.assignee ? [room.user(task.assignee)] : []),
            ...(task.orderId ? roles.map((r) => room.tasksOf(room.order(task.orderId!), r)) : []),
          ],
          `task.${change}`,
          { task },
        );
      }),
      this.events.on('notification.created', ({ notification }) => {
        const { to } = notification;
        const audience = to.role
          ? room.role(to.role)
          : to.queue
            ? room.queue(to.queue)
            : room.user(to.user!);
        send([audience, room.order(notification.orderId)], 'notification', { notification });
      }),
      this.events.on('principal.changed', (change) => void this.follow(change)),
    );
  }

  /**
   * A principal changed (in this process; in cluster mode its sockets may be on any process,
   * which the adapter reaches): closed ones are disconnected; otherwise its sockets leave the
   * rooms of the roles it lost — and every room it may no longer read — and join those of the
   * roles it gained.
   */
  private async follow(change: {
    id: string;
    before: string[];
    after: string[];
    closed: boolean;
  }): Promise<void> {
    const namespace = this.namespace;
    if (!namespace) return;
    try {
      const own = namespace.in(room.user(change.id));
      if (change.closed) return void own.disconnectSockets(true);
      const lost = change.before.filter((r) => !change.after.includes(r));
      const gained = change.after.filter((r) => !change.before.includes(r));
      if (!lost.length && !gained.length) return;
      const actor = { id: change.id, roles: change.after };
      for (const socket of await own.fetchSockets())
        await this.regroup(socket, actor, lost, gained);
    } catch (error) {
      this.logger.error(`live sockets of ${change.id} not updated: ${(error as Error).message}`);
    }
  }

  private async regroup(
    socket: Pick<RemoteSocket<never, unknown>, 'id' | 'rooms' | 'join' | 'leave'>,
    actor: Actor,
    lost: string[],
    gained: string[],
  ): Promise<void> {
    const reads = mayRead(actor.roles);
    const leave = new Set<string>();
    const join = new Set<string>();
    for (const r of lost) leave.add(room.role(r));
    if (reads) for (const r of gained) join.add(room.role(r));
    for (const name of socket.rooms) {
      const [base, role] = name.split('@');
      if (role !== undefined) {
        if (lost.includes(role) || !reads) leave.add(name);
        continue;
      }
      if (name === socket.id || name.startsWith('user:')) continue;
      if (!reads && !name.startsWith('role:')) leave.add(name);
      else if (base.startsWith('queue:') && (await this.access.refusal(actor, base))) {
        leave.add(name);
        for (const other of socket.rooms) if (other.startsWith(`${name}@`)) leave.add(other);
      } else if (base.startsWith('queue:') || base.startsWith('order:'))
        for (const r of gained) join.add(room.tasksOf(name, r));
    }
    if (!reads) for (const r of actor.roles) leave.add(room.role(r));
    for (const name of leave) join.delete(name);
    for (const name of leave) await socket.leave(name);
    if (join.size) await socket.join([...join]);
  }

  /**
   * Every client hears, unasked, what is meant for its person — and, when it may read the
   * task and notification lists, for its roles.
   */
  handleConnection(socket: Socket): void {
    const actor = socket.data.actor as Actor | undefined;
    if (actor)
      void socket.join([
        room.user(actor.id),
        ...(mayRead(actor.roles) ? actor.roles.map(room.role) : []),
      ]);
  }

  onModuleDestroy(): void {
    for (const off of this.unsubscribe) off();
  }

  /**
   * `subscribe` `{ flow?, order?, queue?, flows? }` → ack `{ ok: true, rooms }` or `{ ok: false,
   * error }`. Each room is checked against the principal's state now (a disabled person's socket
   * is closed) and the access of the REST list it mirrors; a refusal joins none of them.
   */
  @SubscribeMessage('subscribe')
  async subscribe(@ConnectedSocket() socket: Socket, @MessageBody() message: unknown) {
    const result = roomsFor(message);
    if ('error' in result) return { ok: false, error: result.error };
    const actor = await this.authenticator.authenticate(socket.data.token as string);
    if (!actor) {
      socket.disconnect(true);
      return { ok: false, error: 'unauthorized: the token is no longer valid' };
    }
    socket.data.actor = actor;
    for (const name of result.rooms) {
      const refusal = await this.access.refusal(actor, name);
      if (refusal) return { ok: false, error: refusal };
    }
    const tasks = (name: string) =>
      name.startsWith('queue:') || name.startsWith('order:')
        ? actor.roles.map((r) => room.tasksOf(name, r))
        : [];
    await socket.join(result.rooms.flatMap((name) => [name, ...tasks(name)]));
    return { ok: true, rooms: result.rooms };
  }

  /** `unsubscribe` with the same shape leaves the rooms. */
  @SubscribeMessage('unsubscribe')
  leave(@ConnectedSocket() socket: Socket, @MessageBody() message: unknown) {
    const result = roomsFor(message);
    if ('error' in result) return { ok: false, error: result.error };
    for (const r of result.rooms)
      for (const joined of [...socket.rooms])
        if (joined === r || joined.startsWith(`${r}@`)) void socket.leave(joined);
    return { ok: true, rooms: result.rooms };
  }
}
