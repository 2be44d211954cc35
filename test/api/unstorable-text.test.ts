/**
 * Text that a database cannot store — U+0000 (PostgreSQL refuses it) and lone UTF-16 surrogates (neither
 * database keeps them: both read back U+FFFD) — is refused alike on both databases: a 422 problem document
 * naming the field for path, query and JSON body values, and an import report naming the row and column for
 * CSV cells, in a dry run as in a real import.
 */
import { describe, expect, it } from 'vitest';
import { dialectAvailable, dialects } from '../support/databases.js';
import { TEST_PASSWORD } from '../support/factories.js';
import type { Problem } from '../support/api-types.js';
import { buildItem, callApi, countRows } from '../support/inventory-factories.js';
import { useTestApp } from '../support/test-app.js';
import { postCsv, writtenRows } from '../bulk/bulk-support.js';

/** The messages of a NUL character and of a lone surrogate. */
const nulMessage = expect.stringMatching(/NUL character \(U\+0000\)/) as unknown;
const loneMessage = expect.stringMatching(/lone UTF-16 surrogate/) as unknown;

describe.each(dialects)('text the databases cannot store, on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, { users: { user: 'user' } });
    const { user } = t.users;

    async function refusal(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) {
      const response = await t.app.inject({
        method,
        url,
        headers: user.headers,
        ...(payload !== undefined && { payload }),
      });
      expect(response.statusCode, response.body).toBe(422);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      return response.json<Problem>();
    }

    it('refuses a NUL in a login name with 422 naming the field, before any lookup', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: `${user.user.username}\u0000`, password: TEST_PASSWORD },
      });
      expect(response.statusCode, response.body).toBe(422);
      expect(response.json()).toMatchObject({
        code: 'invalid',
        errors: [{ field: '/username', message: nulMessage }],
      });
    });

    it('refuses a NUL or a lone surrogate in a body field, at any depth, and writes nothing', async () => {
      const before = await countRows(t, 'audit_events');
      const nul = await refusal('POST', '/api/projects', { name: 'Yeast\u0000screen' });
      expect(nul).toMatchObject({
        code: 'invalid',
        errors: [{ field: '/name', message: nulMessage }],
      });
      // JSON's "\ud800" escape: a lone high surrogate; "\udc00" a lone low one.
      const lone = await refusal('POST', '/api/projects', {
        name: 'Yeast',
        description: 'half \ud800 a pair',
      });
      expect(lone.errors).toEqual([{ field: '/description', message: loneMessage }]);
      const tube = await buildItem(t, user, { type: 'tube', name: 'Surrogate tube' });
      const deep = await refusal('PATCH', `/api/items/${tube.id}`, {
        fields: { concentration_unit: '\udc00' },
      });
      expect(deep.errors).toEqual([{ field: '/fields/concentration_unit', message: loneMessage }]);
      // A whole pair (an emoji) is text like any other.
      const pair = await callApi(t, user, 'POST', '/api/projects', { name: 'Yeast \ud83e\uddeb screen' });
      expect(pair.status, JSON.stringify(pair.body)).toBe(201);
      expect(pair.body).toMatchObject({ name: 'Yeast 🧫 screen' });
      expect(await countRows(t, 'audit_events')).toBe(before + 3); // the tube, the project and its manager
    });

    it('refuses a NUL in a bionet import body, dry run or not, naming the entry', async () => {
      const entries = [
        { key: 'p-0195f0c2-0000-7000-8000-000000000001', value: { type: 'tube', name: 'a\u0000b' } },
      ];
      for (const query of ['?dryRun=true', '']) {
        const answer = await refusal('POST', `/api/imports/bionet${query}`, entries);
        expect(answer.errors).toEqual([{ field: '/0/value/name', message: nulMessage }]);
      }
    });

    it('refuses a NUL in query parameters of the item and project lists', async () => {
      const items = await refusal('GET', '/api/items?q=tube%00');
      expect(items.errors).toEqual([{ field: 'query/q', message: nulMessage }]);
      const projects = await refusal('GET', '/api/projects?q=%00&limit=5');
      expect(projects.errors).toEqual([{ field: 'query/q', message: nulMessage }]);
    });

    it('refuses a NUL in a path parameter', async () => {
      const item = await refusal('GET', '/api/items/%00');
      expect(item).toMatchObject({
        code: 'invalid',
        errors: [{ field: 'params/id', message: nulMessage }],
      });
      const project = await refusal('PATCH', '/api/projects/p%00', { name: 'x' });
      expect(project.errors).toEqual([{ field: 'params/id', message: nulMessage }]);
    });

    it('reports a NUL in a CSV cell by row and column, in a dry run and a real import alike, writing nothing', async () => {
      const csv = [
        'type,name,parent,description',
        'tube,Clean tube,,',
        'tube,Bad\u0000name,,',
        'tube,Other tube,Box\u00001,fine',
      ].join('\n');
      const before = await writtenRows(t);
      const dry = await postCsv(t, user, '/api/imports/items?dryRun=true', csv);
      expect(dry.status, JSON.stringify(dry.body)).toBe(200);
      const expected = [
        { row: 3, column: 'name', field: 'name', message: nulMessage },
        { row: 4, column: 'parent', field: 'parent', message: nulMessage },
      ];
      expect(dry.body).toMatchObject({ valid: false, invalidRows: 2, errors: expected });
      const real = await postCsv(t, user, '/api/imports/items', csv);
      expect(real.status, JSON.stringify(real.body)).toBe(422);
      expect(real.body).toMatchObject({ code: 'import_invalid', errors: expected });
      expect(await writtenRows(t)).toEqual(before);
      // A NUL in a header is the file's problem (row 1).
      const header = await postCsv(t, user, '/api/imports/samples?dryRun=true', 'type,na\u0000me\ntube,x\n');
      expect(header.body).toMatchObject({
        valid: false,
        errors: [{ row: 1, column: 'na\u0000me', field: 'file', message: nulMessage }],
      });
    });
  });
});
