/**
 * The text search: the index follows create, rename, move, delete, restore and bulk import in the same
 * transaction; phrases, prefixes, exclusions and keyword filters; hits and counts only of what the caller may
 * see; completions; spelling suggestions from the index's own vocabulary; `reindex` rebuilding the same index.
 */
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/transaction.js';
import type { Item } from '../../src/modules/inventory/inventory.schema.js';
import type { SearchResults, Suggestions } from '../../src/modules/search/search.schema.js';
import { rebuildIndex } from '../../src/modules/search/search-upkeep.js';
import { postCsv } from '../bulk/bulk-support.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { buildProject, uniqueName } from '../support/factories.js';
import { buildItem, callApi } from '../support/inventory-factories.js';
import { buildSample } from '../support/sample-factories.js';
import { attachFiles, loadBuiltinAnalysisTypes } from '../support/compute-factories.js';
import { useTestApp, type TestUser } from '../support/test-app.js';

describe.each(dialects)('text search on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, {
      users: { user: 'user', other: 'user', staff: 'staff', admin: 'admin' },
    });
    const { user, other, staff, admin } = t.users;

    async function search(as: TestUser, q: string, extra = ''): Promise<SearchResults> {
      const response = await callApi<SearchResults>(
        t,
        as,
        'GET',
        `/api/search?q=${encodeURIComponent(q)}${extra}`,
      );
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body;
    }
    const idsOf = (answer: SearchResults) => answer.results.map((result) => result.id);

    it('finds an item by its words, and follows a rename, a delete and a restore', async () => {
      const word = uniqueName('zorbulon').replace(/[^a-z]/g, '');
      const plasmid = await buildItem(t, user, {
        type: 'plasmid',
        name: `pUC19 ${word}`,
        description: 'high-copy cloning vector with ampicillin resistance',
        fields: { backbone: 'pUC', resistance: 'Ampicillin' },
      });
      const found = await search(other, word);
      expect(idsOf(found)).toEqual([plasmid.id]);
      expect(found.results[0]).toMatchObject({
        kind: 'item',
        humanId: plasmid.humanId,
        type: { name: 'plasmid' },
      });
      expect(found.facets.kinds).toEqual([{ kind: 'item', count: 1 }]);
      const snippet = (await search(other, `${word} ampicillin`)).results[0]?.snippet ?? [];
      expect(
        snippet.filter((segment) => segment.match).map((segment) => segment.text.toLowerCase()),
      ).toContain('ampicillin');

      const renamed = `${word}x`;
      const patched = await callApi(t, user, 'PATCH', `/api/items/${plasmid.id}`, {
        name: `pUC19 ${renamed}`,
      });
      expect(patched.status).toBe(200);
      expect(idsOf(await search(other, word))).toEqual([]);
      expect(idsOf(await search(other, renamed))).toEqual([plasmid.id]);

      expect((await callApi(t, user, 'DELETE', `/api/items/${plasmid.id}`)).status).toBe(204);
      expect(idsOf(await search(other, renamed))).toEqual([]);
      expect((await callApi(t, user, 'POST', `/api/items/${plasmid.id}/restore`)).status).toBe(200);
      expect(idsOf(await search(other, renamed))).toEqual([plasmid.id]);
    });

    it('finds what lies in a freezer with in:, and follows a move', async () => {
      const word = uniqueName('quellomer').replace(/[^a-z]/g, '');
      const freezerA = await buildItem(t, user, { type: '-80 freezer', name: uniqueName('Freezer A ') });
      const freezerB = await buildItem(t, user, { type: '-80 freezer', name: uniqueName('Freezer B ') });
      const rack = await buildItem(t, user, {
        type: 'rack',
        name: uniqueName('Rack '),
        parentId: freezerA.id,
      });
      const tube = await buildItem(t, user, {
        type: 'tube',
        name: `${word} stock`,
        parentId: rack.id,
        barcode: uniqueName('BC-'),
      });
      expect(idsOf(await search(user, `${word} in:${freezerA.humanId}`))).toEqual([tube.id]);
      expect(idsOf(await search(user, `${word} in:${freezerB.id}`))).toEqual([]);
      const hit = (await search(user, word)).results[0];
      expect(hit?.location?.map((step) => step.name)).toEqual([freezerA.name, rack.name]);

      const moved = await callApi(t, user, 'POST', `/api/items/${rack.id}/move`, { parentId: freezerB.id });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      expect(idsOf(await search(user, `${word} in:${freezerA.humanId}`))).toEqual([]);
      expect(idsOf(await search(user, `${word} in:${freezerB.humanId}`))).toEqual([tube.id]);
      expect(idsOf(await search(user, `barcode:${tube.barcode ?? ''}`))).toEqual([tube.id]);
    });

    it('understands phrases, prefixes, exclusions and keyword filters', async () => {
      const tag = uniqueName('vexadrine').replace(/[^a-z]/g, '');
      const backbone = await buildItem(t, user, {
        type: 'plasmid',
        name: `${tag} pUC19 backbone`,
      });
      const reversed = await buildItem(t, user, { type: 'plasmid', name: `${tag} backbone of pUC19` });
      const expired = await buildItem(t, user, {
        type: 'tube',
        name: `${tag} amplicon`,
        description: 'expired',
      });
      expect(idsOf(await search(user, `${tag} "pUC19 backbone"`))).toEqual([backbone.id]);
      expect(new Set(idsOf(await search(user, `${tag} backbone`)))).toEqual(
        new Set([backbone.id, reversed.id]),
      );
      expect(idsOf(await search(user, `${tag} amp*`))).toEqual([expired.id]);
      expect(new Set(idsOf(await search(user, `${tag} -expired`)))).toEqual(
        new Set([backbone.id, reversed.id]),
      );
      expect(new Set(idsOf(await search(user, `${tag} type:plasmid`)))).toEqual(
        new Set([backbone.id, reversed.id]),
      );
      expect(idsOf(await search(user, `${tag} type:tube`))).toEqual([expired.id]);
      expect(idsOf(await search(user, `${tag} kind:sample`))).toEqual([]);
      expect((await search(user, `${tag} created:>2000-01-01`)).total).toBe(3);
      expect((await search(user, `${tag} created:<2000-01-01`)).total).toBe(0);
      const types = (await search(user, tag)).facets.types.map((type) => [type.name, type.count]);
      expect(types).toEqual(
        expect.arrayContaining([
          ['plasmid', 2],
          ['tube', 1],
        ]),
      );

      const bad = await callApi(
        t,
        user,
        'GET',
        `/api/search?q=${encodeURIComponent(`${tag} kind:spaceship`)}`,
      );
      expect(bad.status).toBe(422);
      const badDate = await callApi(
        t,
        user,
        'GET',
        `/api/search?q=${encodeURIComponent('created:>yesterday')}`,
      );
      expect(badDate.status).toBe(422);
      const onlyExcluded = await callApi(t, user, 'GET', `/api/search?q=${encodeURIComponent('-expired')}`);
      expect(onlyExcluded.status).toBe(422);
    });

    it("shows a project's samples only to its members, in hits and in counts", async () => {
      const tag = uniqueName('mirthalase').replace(/[^a-z]/g, '');
      const project = await buildProject(t.database.db, user.user, { name: uniqueName(`Project ${tag} `) });
      const sample = await buildSample(t, { by: user, projectId: project.id, name: `${tag} lysate` });
      const labItem = await buildItem(t, user, { type: 'tube', name: `${tag} buffer` });

      const mine = await search(user, tag);
      expect(new Set(idsOf(mine))).toEqual(new Set([sample.id, labItem.id, project.id]));
      const theirs = await search(other, tag);
      expect(idsOf(theirs)).toEqual([labItem.id]);
      expect(theirs.total).toBe(1);
      expect(theirs.facets.kinds).toEqual([{ kind: 'item', count: 1 }]);
      expect(idsOf(await search(other, `${tag} kind:sample`))).toEqual([]);
      expect((await search(admin, `${tag} kind:sample`)).total).toBe(1);
      expect(idsOf(await search(user, `${tag} project:"${project.name}"`))).toContain(sample.id);
      expect(idsOf(await search(other, `${tag} project:"${project.name}"`))).toEqual([]);
    });

    it('keeps hidden items out unless asked for', async () => {
      const tag = uniqueName('plonkite').replace(/[^a-z]/g, '');
      const hidden = await buildItem(t, user, { type: 'tube', name: `${tag} old tube`, hidden: true });
      expect(idsOf(await search(user, tag))).toEqual([]);
      expect(idsOf(await search(user, tag, '&hidden=true'))).toEqual([hidden.id]);
    });

    it('completes names and human ids as the user types', async () => {
      const tag = uniqueName('Gribbleton').replace(/[^A-Za-z]/g, '');
      const item = await buildItem(t, user, { type: 'tube', name: `${tag} competent cells` });
      const typed = tag.slice(0, 7);
      const response = await callApi<Suggestions>(t, other, 'GET', `/api/search/suggest?q=${typed}`);
      expect(response.status).toBe(200);
      expect(response.body.suggestions.map((s) => s.id)).toContain(item.id);
      const byHumanId = await callApi<Suggestions>(t, other, 'GET', `/api/search/suggest?q=${item.humanId}`);
      expect(byHumanId.body.suggestions[0]?.id).toBe(item.id);
    });

    it('suggests spellings from its own vocabulary', async () => {
      await buildItem(t, user, {
        type: 'plasmid',
        name: 'pBR322 plasmid',
        description: 'ampicillin and kanamycin resistance',
      });
      const cases: [string, string][] = [
        ['plamsid', 'plasmid'],
        ['ampicilin', 'ampicillin'],
        ['kanamycn', 'kanamycin'],
      ];
      for (const [typo, word] of cases) {
        const answer = await search(user, typo);
        expect(answer.total).toBe(0);
        expect(answer.suggestions[0]?.corrections).toEqual([{ from: typo, to: word }]);
        expect(answer.suggestions[0]?.query).toBe(word);
      }
    });

    it('indexes a bulk import in its transaction', async () => {
      const tag = uniqueName('snorkelase').replace(/[^a-z]/g, '');
      const csv = ['type,name', `tube,${tag} one`, `tube,${tag} two`, `tube,${tag} three`].join('\n');
      const answer = await postCsv(t, user, '/api/imports/items', csv);
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      expect((await search(other, tag)).total).toBe(3);
    });

    it('finds instruments for everyone, sessions for their user and staff, analyses for project members', async () => {
      const tag = uniqueName('Zephyrscope').replace(/[^A-Za-z]/g, '');
      const pid = `${tag}-TEM`;
      const instrument = await callApi(t, staff, 'POST', '/api/instruments', {
        pid,
        apiUrl: `https://nemo.example.org/api/tools/?id=${pid}`,
        calendarName: `${tag} TEM`,
        calendarUrl: 'https://nemo.example.org/calendar/x',
        location: 'Building 217',
        schemaName: `${tag} TEM`,
        propertyTag: '635816',
        filestorePath: `./${pid}`,
        harvester: 'api',
        timezone: 'Europe/Berlin',
      });
      expect(instrument.status, JSON.stringify(instrument.body)).toBe(201);
      const started = await callApi<{ sessionIdentifier: string }>(t, user, 'POST', '/api/sessions', {
        instrument: pid,
      });
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      const kindsFor = async (as: TestUser) =>
        (await search(as, tag)).results.map((result) => [result.kind, result.id]);
      expect(await kindsFor(other)).toEqual([['instrument', pid]]);
      expect(new Set(await kindsFor(user))).toEqual(
        new Set([
          ['instrument', pid],
          ['session', started.body.sessionIdentifier],
        ]),
      );
      expect(await kindsFor(staff)).toHaveLength(2);
      const ended = await callApi(
        t,
        user,
        'POST',
        `/api/sessions/${encodeURIComponent(started.body.sessionIdentifier)}/end`,
      );
      expect(ended.status).toBe(200);
      expect((await search(user, `${tag} status:TO_BE_BUILT`)).results.map((r) => r.kind)).toEqual([
        'session',
      ]);

      await loadBuiltinAnalysisTypes(t);
      const project = await buildProject(t.database.db, user.user, { name: `${tag} project` });
      const sample = await buildSample(t, { by: user, projectId: project.id, name: `${tag} cells` });
      await attachFiles(t, user, sample.id, [{ filename: 'reads.fastq', content: '@r1\nACGT\n+\nIIII\n' }]);
      const analysis = await callApi<{ id: string }>(t, user, 'POST', '/api/analyses', {
        sampleId: sample.id,
        analysisType: 'checksum',
      });
      expect(analysis.status, JSON.stringify(analysis.body)).toBe(201);
      const analyses = await search(user, `${tag} kind:analysis`);
      expect(analyses.results.map((result) => [result.id, result.status, result.type?.name])).toEqual([
        [analysis.body.id, 'queued', 'checksum'],
      ]);
      expect((await search(user, `checksum ${tag} kind:project`)).total).toBe(0);
      expect((await search(other, `${tag} kind:analysis`)).total).toBe(0);
    });

    it('rebuilds the same index from scratch', async () => {
      const tag = uniqueName('frobnicase').replace(/[^a-z]/g, '');
      const item: Item = await buildItem(t, user, { type: 'tube', name: `${tag} tube` });
      const before = await search(admin, tag);
      await inTransaction(t.database.db, (trx) => rebuildIndex(trx));
      const after = await search(admin, tag);
      expect(idsOf(after)).toEqual([item.id]);
      expect(after.total).toBe(before.total);
      expect((await search(user, 'plamsid')).suggestions[0]?.corrections[0]?.to).toBe('plasmid');
    });
  });
});
