import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { SmtpTransports } from '@ordo/connectors';

/**
 * The server's pooled SMTP connections (e-mail answers, `notify` by e-mail, flows' e-mail
 * calls): one pool per outbound server, reused across messages, closed on shutdown so no idle
 * connection keeps the process (or a test's mail sink) waiting.
 */
@Injectable()
export class SmtpPool extends SmtpTransports implements OnApplicationShutdown {
  onApplicationShutdown(): void {
    this.close();
  }
}
