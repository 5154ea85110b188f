import type { AddressInfo } from 'node:net';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { ORDO_CONFIG } from '../config/config.module';
import type { OrdoConfig } from '../config/ordo-config';
import { runtimeLog } from '../logging/runtime-log';
import { describeError } from '../runtime/effect-support';
import { MailIntakeService, SmtpRefusal } from './mail-intake.service';
import { domainAllowed, domainOf, senderCheck } from './sender-check';

const log = runtimeLog('smtp');

/** Recipients of one message at most. */
const MAX_RECIPIENTS = 20;

const refusal = (code: number, text: string) =>
  Object.assign(new Error(text), { responseCode: code });

/** The flow a session's message goes to: chosen by its first recipient. */
type Session = SMTPServerSession & { ordoFlow?: string };

/**
 * The SMTP receiver (`ORDO_SMTP_PORT`; off by default): accepts a message only from a sender
 * domain in `ORDO_SMTP_ALLOW` (envelope at MAIL FROM, From header at the end of DATA; others
 * 550 and recorded), only for an address some flow's `intake.email.to` names (others 550), and
 * answers 250 only once the message is stored — a crash after that loses nothing. No AUTH, no
 * relaying: it is an inbound MX for the orders mailboxes, behind the company's mail relay.
 */
@Injectable()
export class SmtpReceiver implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: SMTPServer;

  constructor(
    @Inject(ORDO_CONFIG) private readonly config: OrdoConfig,
    private readonly mail: MailIntakeService,
  ) {}

  /** The port listened on (after start; 0 in the settings picks a free one), if on. */
  port(): number | undefined {
    const address = this.server?.server.address() as AddressInfo | null | undefined;
    return address?.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    const smtp = this.config.mail?.smtp;
    if (!smtp) return;
    const allow = smtp.allow;
    this.server = new SMTPServer({
      name: 'ordo',
      banner: 'Ordo order intake',
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      size: smtp.maxBytes,
      logger: false,
      onMailFrom: (address, session, callback) => {
        const domain = domainOf(address.address);
        if (domainAllowed(domain, allow)) return callback();
        const message = `the sender domain ${domain ?? '(none)'} is not accepted here`;
        void this.mail
          .rejected(
            address.address || null,
            [],
            this.envelopeCheck(session, address.address),
            message,
          )
          .catch((error) => log.error(`recording a refused sender: ${describeError(error)}`))
          .finally(() => callback(refusal(550, `5.7.1 ${message}`)));
      },
      onRcptTo: (address, session: Session, callback) => {
        if (session.envelope.rcptTo.length >= MAX_RECIPIENTS)
          return callback(refusal(452, '4.5.3 too many recipients'));
        this.mail
          .flowFor(address.address)
          .then((flow) => {
            if (!flow) return callback(refusal(550, `5.1.1 no orders mailbox ${address.address}`));
            if (session.ordoFlow && session.ordoFlow !== flow.doc.key)
              return callback(
                refusal(452, '4.5.3 one message feeds one flow: send to the other address apart'),
              );
            session.ordoFlow = flow.doc.key;
            callback();
          })
          .catch((error) => callback(refusal(451, `4.3.0 ${describeError(error)}`)));
      },
      onData: (stream, session: Session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (stream.sizeExceeded)
            return callback(refusal(552, `5.3.4 message larger than ${smtp.maxBytes} bytes`));
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
          this.mail
            .receive(Buffer.concat(chunks), {
              from,
              to: session.envelope.rcptTo.map((r) => r.address),
              flow: session.ordoFlow ?? '',
              client: session.remoteAddress,
              helo: session.hostNameAppearsAs,
            })
            .then(() => callback())
            .catch((error) =>
              callback(
                error instanceof SmtpRefusal
                  ? refusal(error.responseCode, error.message)
                  : refusal(451, `4.3.0 not stored, send again later: ${describeError(error)}`),
              ),
            );
        });
      },
    });
    this.server.on('error', (error) => log.error(`SMTP: ${describeError(error)}`));
    await new Promise<void>((resolve, reject) => {
      this.server!.server.once('error', reject);
      this.server!.listen(smtp.port, smtp.host, () => resolve());
    });
    log.info(`SMTP receiver listening on ${smtp.host}:${this.port()}`);
  }

  private envelopeCheck(session: SMTPServerSession, from: string) {
    return senderCheck(
      { from, client: session.remoteAddress, helo: session.hostNameAppearsAs },
      undefined,
      this.config.mail?.smtp?.allow ?? [],
    );
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
