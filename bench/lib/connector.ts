/**
 * A local Bot Connector double for the Teams rows: answers every POST (a reply activity) with `{"id":"1"}`, counts
 * them and keeps the last body. Plain HTTP on 127.0.0.1 port 0 (anonymous mode sends no token).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Connector {
  serviceUrl: string;
  posts: () => number;
  /** The body of the most recent POST (a reply activity). */
  lastBody: () => string;
  close(): Promise<void>;
}

export async function startConnector(): Promise<Connector> {
  let posts = 0;
  let lastBody = '';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST') {
        posts += 1;
        lastBody = Buffer.concat(chunks).toString('utf8');
      }
      res.setHeader('content-type', 'application/json');
      res.end('{"id":"1"}');
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    serviceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    posts: () => posts,
    lastBody: () => lastBody,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
