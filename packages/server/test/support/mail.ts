import { simpleParser } from 'mailparser';
import { createTransport } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { SMTPServer } from 'smtp-server';

/** A message a sink received: its envelope recipients, subject, text and connection. */
export interface SunkMail {
  to: string[];
  subject: string;
  text: string;
  /** The SMTP session (one per connection) it came on. */
  session: string;
}

/** A local SMTP server that keeps what it is sent (the answers' mail server in tests). */
export async function startMailSink(): Promise<{
  port: number;
  mails: SunkMail[];
  /** Connections taken so far, and those open now. */
  connections: () => { taken: number; open: number };
  close: () => Promise<void>;
}> {
  const mails: SunkMail[] = [];
  let taken = 0;
  let open = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      taken++;
      open++;
      callback();
    },
    onClose() {
      open--;
    },
    onData(stream, session, callback) {
      void simpleParser(stream).then((m) => {
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: m.subject ?? '',
          text: m.text ?? '',
          session: session.id,
        });
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    mails,
    connections: () => ({ taken, open }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Sends a message over SMTP with nodemailer (a real client); rejects with the server's reply. */
export async function sendMail(port: number, message: Mail.Options) {
  const transport = createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    connectionTimeout: 5000,
  });
  try {
    return await transport.sendMail(message);
  } finally {
    transport.close();
  }
}
