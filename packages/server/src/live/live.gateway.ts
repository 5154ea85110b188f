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
import type { Namespace, Socket } from 'socket.io';
import { ORDO_CONFIG } from '../config/config.module';
import type { OrdoConfig } from '../config/ordo-config';
import { DomainEvents } from '../events/domain-events';
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

  constructor(
    private readonly events: DomainEvents,
    @Inject(LIVE_AUTHENTICATOR) private readonly authenticator: LiveAuthenticator,
    @Inject(ORDO_CONFIG) config: OrdoConfig,
  ) {
    this.clustered = Boolean(config.redisUrl);
  }

  afterInit(namespace: Namespace): void {
    namespace.use((socket, next) => {
      const token = tokenOf(socket);
      if (!token)
        return next(new Error('unauthorized: pass auth: { token } with an API key or login token'));
      Promise.resolve(this.authenticator.authenticate(token))
        .then((actor) => {
          if (!actor) return next(new Error('unauthorized: the token is not valid'));
          socket.data.actor = actor;
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
      this.events.on('task.changed', ({ task, change }) =>
        send(
          [
            room.queue(task.queue),
            // Admins work every queue.
            ...[...task.roles, 'admin'].map(room.role),
            ...(task.assignee ? [room.user(task.assignee)] : []),
            ...(task.orderId ? [room.order(task.orderId)] : []),
          ],
          `task.${change}`,
          { task },
        ),
      ),
      this.events.on('notification.created', ({ notification }) => {
        const { to } = notification;
        const audience = to.role
          ? room.role(to.role)
          : to.queue
            ? room.queue(to.queue)
            : room.user(to.user!);
        send([audience, room.order(notification.orderId)], 'notification', { notification });
      }),
    );
  }

  /** Every client hears, unasked, what is meant for its person and its roles. */
  handleConnection(socket: Socket): void {
    const actor = socket.data.actor as Actor | undefined;
    if (actor) void socket.join([room.user(actor.id), ...actor.roles.map(room.role)]);
  }

  onModuleDestroy(): void {
    for (const off of this.unsubscribe) off();
  }

  /** `subscribe` `{ flow?, order?, queue?, flows? }` → ack `{ ok: true, rooms }` or `{ ok: false, error }`. */
  @SubscribeMessage('subscribe')
  subscribe(@ConnectedSocket() socket: Socket, @MessageBody() message: unknown) {
    const result = roomsFor(message);
    if ('error' in result) return { ok: false, error: result.error };
    void socket.join(result.rooms);
    return { ok: true, rooms: result.rooms };
  }

  /** `unsubscribe` with the same shape leaves the rooms. */
  @SubscribeMessage('unsubscribe')
  leave(@ConnectedSocket() socket: Socket, @MessageBody() message: unknown) {
    const result = roomsFor(message);
    if ('error' in result) return { ok: false, error: result.error };
    for (const r of result.rooms) void socket.leave(r);
    return { ok: true, rooms: result.rooms };
  }
}
