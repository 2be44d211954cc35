// Uploads that never finish (issue 11, finding 4): a multipart body that stops before its closing boundary, with
// the client waiting, gone, or done sending, gets an answer or a closed connection, and leaves neither a `.part`
// file nor an open file descriptor in the store. Driven over a real socket: inject cannot stall or hang up.
import fs from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectAvailable, dialects } from '../support/databases.js';
import { buildItem } from '../support/inventory-factories.js';
import { useTestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const BOUNDARY = '----cairnInterruptedUpload';

/** The start of a multipart body: one file part whose content (and the closing boundary) never ends. */
function truncatedBody(): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="half.bin"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    Buffer.alloc(20_000, 7),
  ]);
}

/** What came back on a raw connection: the bytes received and whether the server closed it. */
interface Outcome {
  readonly received: string;
  readonly closedByServer: boolean;
}

/** How long a waiting client waits for an answer: several times the upload idle timeout the tests configure. */
const ANSWER_WAIT_MS = 8000;

/** Opens a connection and sends a request head and `body`, declaring `contentLength` bytes of body. */
async function startUpload(
  baseUrl: URL,
  head: Record<string, string>,
  url: string,
  body: Buffer,
  contentLength: number,
): Promise<net.Socket> {
  const socket = net.connect(Number(baseUrl.port), baseUrl.hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const lines = [`POST ${url} HTTP/1.1`, `Host: ${baseUrl.host}`, `Content-Length: ${contentLength}`];
  for (const [name, value] of Object.entries(head)) lines.push(`${name}: ${value}`);
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  socket.write(body);
  return socket;
}

/**
 * Keeps the socket open until the server answers in full or closes it, at most ANSWER_WAIT_MS (then nothing
 * counts as received), and destroys it.
 */
async function awaitAnswer(socket: net.Socket): Promise<Outcome> {
  const chunks: Buffer[] = [];
  return new Promise<Outcome>((resolve) => {
    const finish = (closedByServer: boolean) => {
      clearTimeout(timer);
      resolve({ received: Buffer.concat(chunks).toString('latin1'), closedByServer });
      socket.destroy();
    };
    const timer = setTimeout(() => finish(false), ANSWER_WAIT_MS);
    socket.once('end', () => finish(true));
    socket.once('close', () => finish(true));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const text = Buffer.concat(chunks).toString('latin1');
      const headEnd = text.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: (\d+)/i.exec(text)?.[1];
      if (headEnd >= 0 && length !== undefined && text.length >= headEnd + 4 + Number(length)) finish(false);
    });
  });
}

/** Files stored in the store (not counting uploads in progress). */
function storedFiles(filesDir: string): string[] {
  if (!fs.existsSync(filesDir)) return [];
  return fs
    .readdirSync(filesDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.parentPath.includes('.uploads'))
    .map((entry) => entry.name);
}

/** Temp files of uploads in progress in the store. */
function partFiles(filesDir: string): string[] {
  const dir = path.join(filesDir, '.uploads');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.part')) : [];
}

/** This process's open file descriptors that point into the file store. */
function openStoreDescriptors(filesDir: string): string[] {
  const targets: string[] = [];
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      const target = fs.readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(filesDir)) targets.push(target);
    } catch {
      // closed between the listing and the readlink
    }
  }
  return targets;
}

describe.each(dialects)('interrupted uploads on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, { config: { uploadIdleSeconds: 1 }, users: { user: 'user' } });
    const { user } = t.users;
    let baseUrl: URL;
    let url: string;
    let head: Record<string, string>;
    const fullLength = truncatedBody().length + 10_000;

    beforeAll(async () => {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      baseUrl = new URL(`http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`);
      url = `/api/items/${(await buildItem(t, user, { type: 'tube' })).id}/files`;
      head = {
        Authorization: user.headers.authorization,
        'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
      };
    });

    it('answers a stalled upload with a problem document and keeps nothing of it', async () => {
      const socket = await startUpload(baseUrl, head, url, truncatedBody(), fullLength);
      const outcome = await awaitAnswer(socket);
      expect(outcome.received).toMatch(/^HTTP\/1\.1 408 /);
      expect(outcome.received).toMatch(/content-type: application\/problem\+json/i);
      expect(outcome.received).toContain('"code":"upload_stalled"');
      expect(outcome.received).toMatch(/\r\nconnection: close\r\n/i);
      expect(partFiles(t.config.filesDir)).toEqual([]);
      await waitFor('closing the temp file', () => openStoreDescriptors(t.config.filesDir).length === 0);
    });

    it('removes the temp file of an upload whose client hangs up', async () => {
      const socket = await startUpload(baseUrl, head, url, truncatedBody(), fullLength);
      await waitFor('starting the temp file', () => partFiles(t.config.filesDir).length === 1);
      socket.destroy();
      await waitFor('removing the temp file', () => partFiles(t.config.filesDir).length === 0);
      await waitFor('closing the temp file', () => openStoreDescriptors(t.config.filesDir).length === 0);
    });

    it('attaches nothing when the client hangs up between two parts', async () => {
      const body = Buffer.concat([truncatedBody(), Buffer.from(`\r\n--${BOUNDARY}\r\nContent-Dispo`)]);
      const socket = await startUpload(baseUrl, head, url, body, body.length + 1000);
      await waitFor('storing the first part', () => storedFiles(t.config.filesDir).length === 1);
      socket.destroy();
      await waitFor('removing the first part', () => storedFiles(t.config.filesDir).length === 0);
      const listed = await t.app.inject({ method: 'GET', url, headers: user.headers });
      expect(listed.json()).toEqual([]);
      expect(openStoreDescriptors(t.config.filesDir)).toEqual([]);
    });

    it('answers a body that ends without its closing boundary with 400', async () => {
      const body = truncatedBody();
      const outcome = await awaitAnswer(await startUpload(baseUrl, head, url, body, body.length));
      expect(outcome.received).toMatch(/^HTTP\/1\.1 400 /);
      expect(outcome.received).toContain('"code":"incomplete_upload"');
      expect(partFiles(t.config.filesDir)).toEqual([]);
      await waitFor('closing the temp file', () => openStoreDescriptors(t.config.filesDir).length === 0);
    });

    it('answers an upload that stalls between two parts with 408 and keeps nothing of it', async () => {
      const body = Buffer.concat([truncatedBody(), Buffer.from(`\r\n--${BOUNDARY}\r\nContent-Dispo`)]);
      const outcome = await awaitAnswer(await startUpload(baseUrl, head, url, body, body.length + 1000));
      expect(outcome.received).toMatch(/^HTTP\/1\.1 408 /);
      expect(storedFiles(t.config.filesDir)).toEqual([]);
      expect(partFiles(t.config.filesDir)).toEqual([]);
      await waitFor('closing the temp file', () => openStoreDescriptors(t.config.filesDir).length === 0);
      const listed = await t.app.inject({ method: 'GET', url, headers: user.headers });
      expect(listed.json()).toEqual([]);
    });
  });
});
