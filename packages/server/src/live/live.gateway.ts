import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Actor } from '@ordo/engine';
import type { Namespace, Socket } from 'socket.io';
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
@WebSocketGateway({ namespace: '/live', cors: { origin: true, credentials: true } })
export class LiveGateway implements OnGatewayInit, OnModuleDestroy {
  private readonly logger = new Logger('LiveGateway');
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly events: DomainEvents,
    @Inject(LIVE_AUTHENTICATOR) private readonly authenticator: LiveAuthenticator,
  ) {}

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
    this.unsubscribe.push(
      this.events.on('order.created', ({ order }) =>
        namespace
          .to([room.flow(order.flow), room.order(order.id)])
          .emit('order.created', { order, at: at() }),
      ),
      this.events.on('order.updated', ({ order }) =>
        namespace
          .to([room.flow(order.flow), room.order(order.id)])
          .emit('order.updated', { order, at: at() }),
      ),
      this.events.on('order.transitioned', ({ order, from, to, transition, event }) =>
        namespace.to([room.flow(order.flow), room.order(order.id)]).emit('order.transitioned', {
          order,
          from,
          to,
          transition,
          event,
          version: order.version,
          at: at(),
        }),
      ),
      this.events.on('flow.published', ({ flow, version }) =>
        namespace
          .to([room.flow(flow), room.flows])
          .emit('flow.published', { flow, version, at: at() }),
      ),
    );
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
