import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';

/** Where an XML body is taken: WeCom's callbacks only; everywhere else the API takes JSON. */
const XML_ROUTE = /^\/api\/intake\/wecom\/[^/?]+(?:\?|$)/;

/**
 * The XML body of WeCom's callbacks, as a string (read by the callback's flat reader, never a
 * general XML parser). Any other route sent XML (or plain text) answers 415, as before.
 */
export function registerChatBodies(app: NestFastifyApplication, bodyLimit: number): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addContentTypeParser(
      // WeCom posts XML; a proxy may relabel it text/plain. Other routes still refuse all three.
      ['text/xml', 'application/xml', 'text/plain'],
      { parseAs: 'string', bodyLimit },
      (
        request: FastifyRequest,
        body: string | Buffer,
        done: (e: Error | null, b?: unknown) => void,
      ) => {
        if (XML_ROUTE.test(request.url)) return done(null, body.toString());
        done(
          Object.assign(new Error('Send application/json'), {
            statusCode: 415,
            code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
          }),
        );
      },
    );
}
