/**
 * The far side of the outbound benchmark: answers every request with a small JSON body, as a
 * fast external API would. Run as its own process: `node --import tsx lib/echo-server.ts <port>`.
 */
import { createServer } from 'node:http';

const answer = JSON.stringify({ ok: true, reservationId: 'R-1' });
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length });
    res.end(answer);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.argv[2]), '127.0.0.1', () => console.log('ready'));
