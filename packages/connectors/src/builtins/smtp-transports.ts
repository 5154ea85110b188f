import { createHash } from 'node:crypto';
import { createTransport, type Transporter } from 'nodemailer';
import { ConnectorError } from '../sdk/connector-error';

/** Where and as whom a message is sent: one pool per distinct server and login. */
export interface SmtpServer {
  /** The address checked against the outbound policy (connections go there, not to a name). */
  address: string;
  port: number;
  secure?: boolean;
  /** The name the server's certificate must carry. */
  servername: string;
  auth?: { user: string; pass: string };
}

export interface SmtpTransportsOptions {
  /** Connections to one server at most (default 4: the mail worker's lanes). */
  maxConnections?: number;
  /** An idle connection is closed after this long (default 10 s, under the socket timeout). */
  idleMs?: number;
  /** Servers kept at most; the least recently used one's pool is closed beyond (default 20). */
  maxServers?: number;
}

/** What every transport to a server is given: where, as whom, and its timeouts. */
const serverOptions = (server: SmtpServer) => ({
  host: server.address,
  port: server.port,
  secure: server.secure,
  tls: { servername: server.servername },
  ...(server.auth && { auth: server.auth }),
  connectionTimeout: 10_000,
  socketTimeout: 20_000,
});

/**
 * Pooled SMTP connections, one pool per outbound server, reused across messages: a server that
 * waits before its greeting (smtp-server waits 100 ms, many real ones longer) costs that wait
 * once per connection rather than once per message. Owned by whoever runs connectors (the
 * server closes it on shutdown, so no idle connection holds the process or a test's sink).
 */
export class SmtpTransports {
  private readonly pools = new Map<string, Transporter>();
  private closed = false;

  constructor(private readonly options: SmtpTransportsOptions = {}) {}

  /** The pooled transport for a server, created on first use. */
  transport(server: SmtpServer): Transporter {
    if (this.closed)
      throw new ConnectorError('SMTP: the server is shutting down; the message was not sent', {
        retryable: true,
        code: 'smtp',
      });
    const key = JSON.stringify([
      server.address,
      server.port,
      !!server.secure,
      server.servername,
      server.auth?.user ?? '',
      // The password tells two logins apart without sitting in the key itself.
      server.auth ? createHash('sha256').update(server.auth.pass).digest('hex') : '',
    ]);
    let pool = this.pools.get(key);
    if (pool) {
      // Most recently used last, so the first is the one to close when there are too many.
      this.pools.delete(key);
      this.pools.set(key, pool);
      return pool;
    }
    pool = createTransport({
      pool: true,
      maxConnections: this.options.maxConnections ?? 4,
      maxMessages: 1000,
      idleTimeout: this.options.idleMs ?? 10_000,
      ...serverOptions(server),
    });
    this.pools.set(key, pool);
    if (this.pools.size > (this.options.maxServers ?? 20)) {
      const [oldest, transport] = this.pools.entries().next().value!;
      this.pools.delete(oldest);
      transport.close();
    }
    return pool;
  }

  /** Servers with a pool now. */
  get size(): number {
    return this.pools.size;
  }

  /**
   * Closes every pool: idle connections at once (QUIT), a message being delivered after it is
   * through. Later sends are refused as retryable, so they wait for the next start.
   */
  close(): void {
    this.closed = true;
    for (const transport of this.pools.values()) transport.close();
    this.pools.clear();
  }
}

/** A transport for one message, closed after it (no pool given: a test kit, a CLI). */
export function oneShotTransport(server: SmtpServer): Transporter {
  return createTransport(serverOptions(server));
}
