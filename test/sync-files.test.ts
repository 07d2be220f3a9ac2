/**
 * Attachments: downloaded after their page into a private folder, MD5-checked against DS's
 * checksum; a corrupt file is an error on that file only; unchanged files are not fetched again.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localPathFor, safeFileName } from '../src/sync/files.download.ts';
import { listFiles } from '../src/mirror/mirror.repository.ts';
import { runSync } from '../src/sync/sync-runner.ts';
import { operationsSince, startSyncFixture, visibleNumbers, type SyncFixture } from './sync-fixtures.ts';

describe('attachments', { timeout: 120_000 }, () => {
  let fx: SyncFixture;
  beforeAll(async () => {
    fx = await startSyncFixture({ seed: 37, programmes: ['aumg'], dossiers: { aumg: 25 } });
  });
  afterAll(async () => fx?.close());

  it('stores each file once, checked; a checksum mismatch fails that file only', async () => {
    const db = await fx.openDb();
    const client = fx.client();
    const [victim] = visibleNumbers(fx.sim, fx.demarche).filter((n) => fx.sim.store.getDossier(n).files.length > 1);
    expect(victim).toBeDefined();
    const corrupted = fx.sim.store.getDossier(victim!).files[0]!;
    fx.sim.store.corruptFile(victim!, corrupted.champDescriptorId);

    const report = await runSync({ db, client }, { demarches: [fx.demarche], files: true, filesDir: fx.filesDir });
    const [result] = report.results;
    const all = await db.selectFrom('files').selectAll().execute();
    const bad = all.filter((f) => f.dossier_number === victim && f.descriptor_id === corrupted.champDescriptorId);
    expect(bad.length).toBeGreaterThan(0);
    expect(report.status).toBe('partial');
    expect(result).toMatchObject({ status: 'partial', filesFailed: bad.length, filesDownloaded: all.length - bad.length, filesSkipped: 0 });
    expect(result?.fileErrors[0]).toMatchObject({ dossierNumber: victim, filename: bad[0]!.filename });
    expect(result?.fileErrors[0]?.message).toMatch(/^Somme de contrôle incorrecte/);

    for (const f of bad) {
      expect(f.local_path).toBeNull();
      expect(f.download_error).toMatch(/Somme de contrôle incorrecte/);
      expect(existsSync(localPathFor(fx.filesDir, { dossierNumber: f.dossier_number, checksum: f.checksum, filename: f.filename }))).toBe(
        false,
      );
    }
    const good = all.filter((f) => !bad.includes(f));
    expect(good.length).toBeGreaterThan(10);
    for (const f of good) {
      expect(f.download_error).toBeNull();
      expect(f.local_path).toBe(localPathFor(fx.filesDir, { dossierNumber: f.dossier_number, checksum: f.checksum, filename: f.filename }));
      const bytes = readFileSync(f.local_path!);
      expect(createHash('md5').update(bytes).digest('base64')).toBe(f.checksum);
      expect(bytes.length).toBe(f.byte_size);
      expect(statSync(f.local_path!).mode & 0o777).toBe(0o600);
      expect(statSync(dirname(f.local_path!)).mode & 0o777).toBe(0o700);
      expect(statSync(dirname(dirname(f.local_path!))).mode & 0o777).toBe(0o700);
    }
    expect(statSync(fx.filesDir).mode & 0o777).toBe(0o700);
    const runs = await db.selectFrom('sync_runs').selectAll().execute();
    expect(runs[0]).toMatchObject({ status: 'partial', files_downloaded: good.length, files_failed: bad.length });

    // A full re-read finds every good file in place (same checksum) and fetches none of them again.
    const downloadsBefore = fx.sim.stats.fileDownloads;
    const again = await runSync({ db, client }, { demarches: [fx.demarche], files: true, filesDir: fx.filesDir, full: true });
    expect(again.results[0]).toMatchObject({ filesSkipped: good.length, filesDownloaded: 0, filesFailed: bad.length });
    expect(fx.sim.stats.fileDownloads - downloadsBefore).toBe(bad.length);
    expect((await listFiles(db, victim!)).filter((f) => f.local_path !== null)).toHaveLength(
      (await listFiles(db, victim!)).length - bad.length,
    );

    // An incremental run re-reads only the dossier whose files failed (fresh links) and retries them.
    const before = { ...fx.sim.stats.byOperation };
    const downloadsBeforeRetry = fx.sim.stats.fileDownloads;
    const retry = await runSync({ db, client }, { demarches: [fx.demarche], files: true, filesDir: fx.filesDir });
    expect(retry.results[0]).toMatchObject({ status: 'partial', pages: 1, filesFailed: bad.length, filesDownloaded: 0 });
    expect(operationsSince(fx.sim, before)).toEqual({
      GetDemarche: 1,
      GetDossiers: 1,
      GetDeletedDossiers: 1,
      GetPendingDeletedDossiers: 1,
      GetDossier: 1,
    });
    expect(fx.sim.stats.fileDownloads - downloadsBeforeRetry).toBe(bad.length);
  });

  it('makes file names safe', () => {
    expect(safeFileName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(safeFileName('.cache')).toBe('cache');
    expect(safeFileName('a\u0000b:c?.pdf')).toBe('a_b_c_.pdf');
    expect(safeFileName('')).toBe('fichier');
    const long = safeFileName(`${'é'.repeat(300)}.pdf`);
    expect([...long].length).toBeLessThanOrEqual(120);
    expect(long.endsWith('.pdf')).toBe(true);
  });
});
