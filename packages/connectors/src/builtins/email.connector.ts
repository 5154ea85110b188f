import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { checkAddress } from '../http/address-guard';
import { checkCredentialHost } from '../http/credential-guard';
import { ConnectorError } from '../sdk/connector-error';
import { defineConnector } from '../sdk/define-connector';
import { oneShotTransport } from './smtp-transports';

interface EmailSettings {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure?: boolean;
  from: string;
  /** Who gets the messages: a team mailbox, a distribution list. */
  to: string[];
}

/** A message: its text, a subject (else the text's first line) and files to attach. */
interface EmailMessage {
  text: string;
  title?: string;
  attachments?: { filename: string; content: string; contentType?: string }[];
}

/**
 * E-mail over SMTP. The server's address passes the same check as every outbound HTTP call,
 * so a flow cannot use SMTP to reach the internal network either.
 */
export const emailConnector = defineConnector<EmailSettings>({
  id: 'email',
  version: '1.0.0',
  title: 'E-mail (SMTP)',
  settings: {
    type: 'object',
    required: ['host', 'from', 'to'],
    additionalProperties: false,
    properties: {
      host: { type: 'string', minLength: 1 },
      port: { type: 'integer', minimum: 1, maximum: 65535, default: 587 },
      secure: { type: 'boolean', default: false },
      from: { type: 'string', minLength: 3 },
      to: { type: 'array', minItems: 1, items: { type: 'string', format: 'email' } },
    },
  },
  auth: {
    type: 'object',
    properties: { username: { type: 'string' }, password: { type: 'string' } },
  },
  endpoints: (settings) => [
    { setting: '/host', host: settings.host.toLowerCase(), port: settings.port ?? 587 },
  ],
  actions: {
    send: {
      title: 'Send a message',
      input: {
        type: 'object',
        required: ['text'],
        additionalProperties: false,
        properties: {
          text: { type: 'string', minLength: 1 },
          title: { type: 'string' },
          /** Files to attach (a scheduled report's PDF), their content in base64. */
          attachments: {
            type: 'array',
            maxItems: 5,
            items: {
              type: 'object',
              required: ['filename', 'content'],
              additionalProperties: false,
              properties: {
                filename: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[^/\\\\]+$' },
                content: { type: 'string', maxLength: 14_000_000 },
                contentType: { type: 'string', maxLength: 100 },
              },
            },
          },
        },
      },
      output: { type: 'object', required: ['sent'], properties: { sent: { type: 'boolean' } } },
      async run(ctx, input: EmailMessage) {
        const { host, port, secure, from, to } = ctx.settings;
        // The password goes to the SMTP server: it must be one of the credential's hosts.
        if (ctx.http.credential) checkCredentialHost(ctx.http.credential, host.toLowerCase(), port);
        const [address] = isIP(host) ? [{ address: host }] : await lookup(host, { all: true });
        try {
          checkAddress(ctx.http.policy ?? {}, host, address.address, port);
        } catch (error) {
          throw new ConnectorError((error as Error).message, {
            retryable: false,
            code: 'blocked_address',
          });
        }
        const server = {
          address: address.address,
          port,
          secure,
          servername: host,
          ...(ctx.credentials.username && {
            auth: { user: ctx.credentials.username, pass: ctx.credentials.password },
          }),
        };
        const transport = ctx.smtp ? ctx.smtp.transport(server) : oneShotTransport(server);
        try {
          await transport.sendMail({
            from,
            to,
            subject: input.title ?? input.text.split('\n')[0].slice(0, 120),
            text: input.text,
            attachments: input.attachments?.map((a) => ({
              filename: a.filename,
              content: Buffer.from(a.content, 'base64'),
              ...(a.contentType && { contentType: a.contentType }),
            })),
            headers: { 'Idempotency-Key': ctx.idempotencyKey },
            // A message given up on (timeout, shutdown) leaves the pool's queue, not sent later.
            signal: ctx.signal,
          });
        } catch (error) {
          if (error instanceof ConnectorError) throw error;
          const code = (error as { responseCode?: number }).responseCode;
          throw new ConnectorError(`SMTP ${host}: ${(error as Error).message}`, {
            // 4xx SMTP replies are temporary by definition; 5xx are permanent.
            retryable: code === undefined || (code >= 400 && code < 500),
            code: 'smtp',
            ...(code !== undefined && { status: code }),
          });
        } finally {
          // A pooled connection stays open for the next message; its pool is closed by its owner.
          if (!ctx.smtp) transport.close();
        }
        return { sent: true };
      },
    },
  },
});
