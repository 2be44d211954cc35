import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dialectAvailable, dialects } from '../support/databases.js';
import { buildItem } from '../support/inventory-factories.js';
import { multipartBody } from '../support/multipart.js';
import { useTestApp } from '../support/test-app.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

function listFilesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

describe.each(dialects)('item files and labels on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, { config: { uploadLimitBytes: 64 * 1024 }, users: { user: 'user' } });
    const { user } = t.users;

    it('stores uploads under generated names with detected type, size and SHA-256, and downloads them', async () => {
      const tube = await buildItem(t, user, { type: 'tube', name: 'Tube with files' });
      const fasta = '>lcl|seq1 test\nACGTACGTACGT\n';
      const body = multipartBody([
        { filename: '../../etc/passwd', content: PNG, contentType: 'text/plain' },
        { filename: 'seq\u0000uence.fasta', content: fasta },
      ]);
      const upload = await t.app.inject({
        method: 'POST',
        url: `/api/items/${tube.id}/files`,
        headers: { ...user.headers, ...body.headers },
        payload: body.payload,
      });
      expect(upload.statusCode, upload.body).toBe(201);
      const files =
        upload.json<Array<{ id: string; name: string; contentType: string; size: number; sha256: string }>>();
      expect(files).toHaveLength(2);
      expect(files[0]).toMatchObject({ name: 'passwd', contentType: 'image/png', size: PNG.length });
      expect(files[0]?.sha256).toBe(createHash('sha256').update(PNG).digest('hex'));
      expect(files[1]?.name).toBe('sequence.fasta');
      expect(files[1]?.contentType).toMatch(/fasta/);

      const stored = listFilesUnder(t.config.filesDir);
      expect(stored).toHaveLength(2);
      for (const file of stored) {
        expect(path.resolve(file).startsWith(path.resolve(t.config.filesDir))).toBe(true);
        expect(path.basename(file)).toMatch(/^[0-9a-f-]{36}\.[a-z0-9]+$/);
      }

      const download = await t.app.inject({
        method: 'GET',
        url: `/api/files/${files[0]?.id}`,
        headers: user.headers,
      });
      expect(download.statusCode).toBe(200);
      expect(download.headers['content-type']).toBe('image/png');
      expect(download.headers['content-disposition']).toContain('attachment; filename="passwd"');
      expect(download.rawPayload.equals(PNG)).toBe(true);

      const listed = await t.app.inject({
        method: 'GET',
        url: `/api/items/${tube.id}/files`,
        headers: user.headers,
      });
      expect(listed.json<unknown[]>()).toHaveLength(2);
      const history = await t.app.inject({
        method: 'GET',
        url: `/api/audit?entityType=item_file&entityId=${files[0]?.id}`,
        headers: user.headers,
      });
      expect(history.json<{ items: unknown[] }>().items).toHaveLength(1);
      // The tube is lab-wide, so is the record of its files: another lab member reads it too.
      const colleague = await t.userWithToken();
      const seenByColleague = await t.app.inject({
        method: 'GET',
        url: `/api/audit?entityType=item_file&entityId=${files[0]?.id}`,
        headers: colleague.headers,
      });
      expect(seenByColleague.json<{ items: unknown[] }>().items).toHaveLength(1);
    });

    it('refuses a file over the size limit with 413 and keeps nothing', async () => {
      const tube = await buildItem(t, user, { type: 'tube', name: 'Too big' });
      const before = listFilesUnder(t.config.filesDir).length;
      const body = multipartBody([{ filename: 'big.bin', content: Buffer.alloc(70 * 1024, 7) }]);
      const upload = await t.app.inject({
        method: 'POST',
        url: `/api/items/${tube.id}/files`,
        headers: { ...user.headers, ...body.headers },
        payload: body.payload,
      });
      expect(upload.statusCode).toBe(413);
      expect(upload.headers['content-type']).toMatch(/problem\+json/);
      expect(listFilesUnder(t.config.filesDir)).toHaveLength(before);
      const listed = await t.app.inject({
        method: 'GET',
        url: `/api/items/${tube.id}/files`,
        headers: user.headers,
      });
      expect(listed.json<unknown[]>()).toHaveLength(0);
    });

    it('refuses uploads to a missing item and non-multipart bodies', async () => {
      const body = multipartBody([{ filename: 'a.txt', content: 'hello' }]);
      const missing = await t.app.inject({
        method: 'POST',
        url: '/api/items/p-00000000-0000-0000-0000-000000000000/files',
        headers: { ...user.headers, ...body.headers },
        payload: body.payload,
      });
      expect(missing.statusCode).toBe(404);
      const tube = await buildItem(t, user, { type: 'tube', name: 'json body' });
      const json = await t.app.inject({
        method: 'POST',
        url: `/api/items/${tube.id}/files`,
        headers: user.headers,
        payload: { a: 1 },
      });
      expect(json.statusCode).toBeGreaterThanOrEqual(400);
      expect(json.statusCode).toBeLessThan(500);
    });

    it('draws labels as SVG and PNG and a PDF sheet', async () => {
      const tube = await buildItem(t, user, {
        type: 'tube',
        name: 'Label <me> & you',
        barcode: `BC-${dialect}-1`,
      });
      const svg = await t.app.inject({
        method: 'GET',
        url: `/api/items/${tube.id}/label.svg`,
        headers: user.headers,
      });
      expect(svg.statusCode).toBe(200);
      expect(svg.headers['content-type']).toMatch(/image\/svg\+xml/);
      expect(svg.body).toContain(tube.humanId);
      expect(svg.body).toContain('Label &#60;me&#62; &#38;');
      expect(svg.body).not.toContain('<me>');
      const png = await t.app.inject({
        method: 'GET',
        url: `/api/items/${tube.id}/label.png`,
        headers: user.headers,
      });
      expect(png.statusCode).toBe(200);
      expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
      const other = await buildItem(t, user, { type: 'tube', name: 'Second' });
      const pdf = await t.app.inject({
        method: 'POST',
        url: '/api/labels',
        headers: user.headers,
        payload: { itemIds: [tube.id, other.id] },
      });
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      const missing = await t.app.inject({
        method: 'POST',
        url: '/api/labels',
        headers: user.headers,
        payload: { itemIds: ['p-nope'] },
      });
      expect(missing.statusCode).toBe(404);
    });
  });
});
