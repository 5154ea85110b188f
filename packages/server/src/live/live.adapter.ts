import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';

/**
 * socket.io for the app. In cluster mode (a Redis URL) events emitted by one process reach
 * the clients of every process through the socket.io Redis adapter; in embedded mode the
 * plain in-memory adapter serves.
 */
export class LiveAdapter extends IoAdapter {
  private clients: Redis[] = [];

  constructor(
    app: INestApplicationContext,
    private readonly redisUrl?: string,
    private readonly corsOrigins: string[] = [],
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    // The same CORS allow-list as the REST API (ORDO_CORS_ORIGINS; none: same origin only).
    const cors = this.corsOrigins.length ? { origin: this.corsOrigins } : undefined;
    const server = super.createIOServer(port, { ...options, cors, serveClient: false }) as Server;
    if (this.redisUrl) {
      const pub = new Redis(this.redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
      const sub = pub.duplicate();
      this.clients = [pub, sub];
      server.adapter(createAdapter(pub, sub));
    }
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    // A client still connecting has the adapter's subscriptions queued: quitting it now would
    // reject them unhandled ("Connection is closed"), so let it connect first (briefly).
    await Promise.all(
      this.clients.map(async (c) => {
        if (c.status === 'connecting' || c.status === 'connect')
          await new Promise((resolve) => {
            const timer = setTimeout(resolve, 2000);
            c.once('ready', () => resolve(clearTimeout(timer)));
          });
        await c.quit().catch(() => c.disconnect());
      }),
    );
    this.clients = [];
  }
}
