/**
 * Records linked to Cairn projects and inventory samples, on both databases: the builder links a record to the
 * project its reservation names (by id or by name ignoring case) and to that project's samples its sample
 * groups name, and to nothing it cannot match; the project's members then see the record (list, JSON, XML,
 * zip, search) while others learn nothing of it; `?project=` filters; a sample lists its records and its
 * history says it was recorded.
 */
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/transaction.js';
import { FileStore } from '../../src/files/file-store.js';
import { logPastSession, type PastSession } from '../../src/modules/instruments/sessions.service.js';
import type { Project } from '../../src/modules/projects/projects.schema.js';
import { buildNextSession, type BuildSettings } from '../../src/modules/records/record-builder.service.js';
import type { ExperimentRecord, RecordSummary } from '../../src/modules/records/records.schema.js';
import type { Sample, SampleDetail } from '../../src/modules/samples/samples.schema.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { actorOfUser, buildProject, uniqueName } from '../support/factories.js';
import { buildType, callApi } from '../support/inventory-factories.js';
import { buildSample } from '../support/sample-factories.js';
import { useTestApp, type TestUser } from '../support/test-app.js';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

describe.each(dialects)('Record links on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, {
      users: {
        admin: 'admin',
        staff: 'staff',
        owner: 'user',
        manager: 'user',
        viewer: 'user',
        outsider: 'user',
      },
    });
    const { admin, staff, owner, manager, viewer, outsider } = t.users;
    let settings: BuildSettings;
    let project: Project;
    let otherProject: Project;
    let coupon: Sample;
    let wafer: Sample;
    let elsewhere: Sample;
    let sampleType: string;

    beforeAll(async () => {
      settings = {
        db: t.database.db,
        files: new FileStore(t.config.filesDir),
        dataRoot: t.config.instrumentDataDir,
        noFilesDelayMs: 60 * 60_000,
        retryWaitingMs: 0,
        sensitivity: 1,
        extensions: 'all',
        ignore: [],
        maxPreviewBytes: 10_000_000,
        claimant: 'test-builder',
      };
      project = await buildProject(t.database.db, manager.user, {
        name: uniqueName('Alloy study '),
        members: [[viewer.user, 'viewer']],
      });
      otherProject = await buildProject(t.database.db, manager.user, { name: uniqueName('Other study ') });
      sampleType = (await buildType(t, { name: uniqueName('coupon type ') })).name;
      coupon = await buildSample(t, {
        by: manager,
        projectId: project.id,
        type: sampleType,
        name: 'Coupon A',
      });
      wafer = await buildSample(t, { by: manager, projectId: project.id, type: sampleType, name: 'Wafer 7' });
      elsewhere = await buildSample(t, {
        by: manager,
        projectId: otherProject.id,
        type: sampleType,
        name: 'Stray coupon',
      });
    });

    const call = <T>(who: TestUser, url: string) => callApi<T>(t, who, 'GET', url);
    /** The status of a GET whose answer may not be JSON (XML, a zip, a PNG). */
    const statusOf = async (who: TestUser, url: string) =>
      (await t.app.inject({ method: 'GET', url, headers: who.headers })).statusCode;

    /** A past session of `owner` on a new instrument that wrote one PNG, with this reservation, built now. */
    async function buildRecord(reservation: PastSession['reservation']): Promise<string> {
      const pid = uniqueName('Linked-');
      const folder = path.join(t.config.instrumentDataDir, 'Linked', pid);
      await mkdir(folder, { recursive: true });
      const created = await callApi(t, staff, 'POST', '/api/instruments', {
        pid,
        apiUrl: `https://facility.example.org/instruments/${pid}`,
        calendarName: pid,
        calendarUrl: 'https://facility.example.org/calendar',
        location: 'Bldg 1',
        schemaName: 'Linked SEM',
        propertyTag: 'L1',
        filestorePath: `Linked/${pid}`,
        harvester: 'api',
        timezone: 'UTC',
      });
      expect(created.status).toBe(201);
      const end = Date.now() - 60 * 60_000;
      const start = end - 60 * 60_000;
      const file = path.join(folder, 'overview.png');
      await writeFile(
        file,
        await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } })
          .png()
          .toBuffer(),
      );
      await utimes(file, (start + 10 * 60_000) / 1000, (start + 10 * 60_000) / 1000);
      const session = await inTransaction(t.database.db, (trx) =>
        logPastSession(trx, actorOfUser(staff.user), {
          instrument: pid,
          user: owner.user.username,
          startedAt: new Date(start),
          endedAt: new Date(end),
          ...(reservation !== undefined && { reservation }),
        }),
      );
      const outcome = await buildNextSession(settings, [session.sessionIdentifier]);
      expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: 'COMPLETED' });
      return (outcome as { recordId: string }).recordId;
    }

    let linked: string;

    it('links a record to the project and samples its reservation names, by name ignoring case or by id', async () => {
      linked = await buildRecord({
        projectId: project.name.toUpperCase(),
        experimentTitle: 'Zirconium grain study',
        sampleNames: ['coupon a', wafer.humanId, 'No such sample', 'Stray coupon'],
      });
      const record = await call<ExperimentRecord>(admin, `/api/records/${linked}`);
      expect(record.status).toBe(200);
      expect(record.body.project).toEqual({ id: project.id, name: project.name });
      expect(record.body.samples.map((sample) => sample.id).sort()).toEqual([coupon.id, wafer.id].sort());
      expect(record.body.samples.find((sample) => sample.id === coupon.id)).toEqual({
        id: coupon.id,
        humanId: coupon.humanId,
        name: 'Coupon A',
      });

      const byId = await buildRecord({ projectId: otherProject.id, sampleNames: [elsewhere.id] });
      const other = await call<ExperimentRecord>(admin, `/api/records/${byId}`);
      expect(other.body.project).toEqual({ id: otherProject.id, name: otherProject.name });
      expect(other.body.samples.map((sample) => sample.id)).toEqual([elsewhere.id]);
    });

    it('links nothing it cannot match: an unknown project, an ambiguous name, no reservation', async () => {
      const unknown = await buildRecord({ projectId: 'No such project', sampleNames: ['Coupon A'] });
      const twinA = await buildSample(t, {
        by: manager,
        projectId: project.id,
        type: sampleType,
        name: 'Twin',
      });
      const twinB = await buildSample(t, {
        by: manager,
        projectId: project.id,
        type: sampleType,
        name: 'twin',
      });
      const ambiguous = await buildRecord({ projectId: project.id, sampleNames: ['Twin'] });
      const without = await buildRecord(undefined);
      for (const id of [unknown, ambiguous, without]) {
        const record = await call<ExperimentRecord>(admin, `/api/records/${id}`);
        expect(record.body.samples, id).toEqual([]);
      }
      expect((await call<ExperimentRecord>(admin, `/api/records/${unknown}`)).body.project).toBeNull();
      expect((await call<ExperimentRecord>(admin, `/api/records/${without}`)).body.project).toBeNull();
      expect((await call<ExperimentRecord>(admin, `/api/records/${ambiguous}`)).body.project?.id).toBe(
        project.id,
      );
      // A project two share the name of is not guessed either.
      await buildProject(t.database.db, manager.user, { name: 'Shared name' });
      await buildProject(t.database.db, outsider.user, { name: 'shared NAME' });
      const shared = await buildRecord({ projectId: 'Shared name' });
      expect((await call<ExperimentRecord>(admin, `/api/records/${shared}`)).body.project).toBeNull();
      for (const twin of [twinA, twinB]) {
        const records = await call<Page<RecordSummary>>(manager, `/api/samples/${twin.id}/records`);
        expect(records.body.items).toEqual([]);
      }
    });

    it("shows the record to its project's members, and nothing of it to others", async () => {
      for (const who of [viewer, manager, owner, staff, admin]) {
        expect(await statusOf(who, `/api/records/${linked}`), who.user.username).toBe(200);
        expect(await statusOf(who, `/api/records/${linked}/xml`), who.user.username).toBe(200);
      }
      const seen = await call<ExperimentRecord>(viewer, `/api/records/${linked}`);
      expect(seen.body.user).toBe(owner.user.username);
      expect(seen.body.project?.id).toBe(project.id);
      expect(seen.body.samples).toHaveLength(2);
      expect(await statusOf(viewer, `/api/records/${linked}/files.zip`)).toBe(200);
      const preview = seen.body.document.activities[0]!.datasets[0]!.preview!;
      expect(await statusOf(viewer, preview)).toBe(200);

      // The session's user, not a member, sees the record but not the project or its samples.
      const own = await call<ExperimentRecord>(owner, `/api/records/${linked}`);
      expect(own.body.project).toBeNull();
      expect(own.body.samples).toEqual([]);

      for (const url of [
        `/api/records/${linked}`,
        `/api/records/${linked}/xml`,
        `/api/records/${linked}/files.zip`,
        preview,
      ]) {
        expect(await statusOf(outsider, url), url).toBe(404);
      }
      const listed = await call<Page<RecordSummary>>(outsider, '/api/records?limit=200');
      expect(listed.body.items.map((record) => record.id)).not.toContain(linked);
      expect(
        (await call<Page<RecordSummary>>(outsider, `/api/records?project=${project.id}`)).body.items,
      ).toEqual([]);
      const found = await call<{ total: number }>(outsider, '/api/search?q=zirconium');
      expect(found.body.total).toBe(0);
      const memberFinds = await call<{ results: { id: string }[] }>(viewer, '/api/search?q=zirconium');
      expect(memberFinds.body.results.map((hit) => hit.id)).toContain(linked);
      const ownerFinds = await call<{ results: { id: string }[] }>(owner, '/api/search?q=zirconium');
      expect(ownerFinds.body.results.map((hit) => hit.id)).toContain(linked);

      // A member's list holds it, named with its project; membership ends, and so does the view.
      const memberList = await call<Page<RecordSummary>>(viewer, '/api/records?limit=200');
      const summary = memberList.body.items.find((record) => record.id === linked);
      expect(summary?.project).toEqual({ id: project.id, name: project.name });
      const removed = await callApi(
        t,
        manager,
        'DELETE',
        `/api/projects/${project.id}/members/${viewer.user.id}`,
      );
      expect(removed.status).toBe(204);
      expect((await call(viewer, `/api/records/${linked}`)).status).toBe(404);
      const restored = await callApi(t, manager, 'POST', `/api/projects/${project.id}/members`, {
        username: viewer.user.username,
        role: 'viewer',
      });
      expect(restored.status).toBeLessThan(300);
    });

    it('filters the list by project', async () => {
      const mine = await call<Page<RecordSummary>>(viewer, `/api/records?project=${project.id}&limit=200`);
      expect(mine.status).toBe(200);
      expect(mine.body.items.length).toBeGreaterThan(0);
      expect(mine.body.items.every((record) => record.project?.id === project.id)).toBe(true);
      expect(mine.body.items.map((record) => record.id)).toContain(linked);
      const other = await call<Page<RecordSummary>>(admin, `/api/records?project=${otherProject.id}`);
      expect(other.body.items.map((record) => record.id)).not.toContain(linked);
      expect(other.body.items).toHaveLength(1);
    });

    it("lists a sample's records to those who see the sample, and the sample's history tells", async () => {
      const records = await call<Page<RecordSummary>>(viewer, `/api/samples/${coupon.id}/records`);
      expect(records.status).toBe(200);
      expect(records.body.items.map((record) => record.id)).toEqual([linked]);
      expect((await call(outsider, `/api/samples/${coupon.id}/records`)).status).toBe(404);
      expect((await call(owner, `/api/samples/${coupon.id}/records`)).status).toBe(404);
      expect((await call(viewer, '/api/samples/p-nonexistent/records')).status).toBe(404);
      const paged = await call<Page<RecordSummary>>(staff, `/api/samples/${elsewhere.id}/records?limit=1`);
      // staff see every record, yet not a project's sample they are not a member of
      expect(paged.status).toBe(404);

      const sample = await call<SampleDetail>(viewer, `/api/samples/${coupon.id}`);
      const recorded = sample.body.history.filter((event) => event.entityType === 'sample_record');
      expect(recorded).toHaveLength(1);
      expect(recorded[0]).toMatchObject({
        action: 'create',
        entityId: coupon.id,
        projectId: project.id,
        after: { recordId: linked, title: 'Zirconium grain study' },
      });
      const outsiderHistory = await call<{ items: { entityType: string }[] }>(
        outsider,
        `/api/audit?entityId=${coupon.id}`,
      );
      expect(outsiderHistory.body.items ?? []).toEqual([]);
    });
  });
});
