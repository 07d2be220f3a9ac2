import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotateDemarche } from '../src/pushback/annotate.ts';
import { checkDemarche } from '../src/rules/check.ts';
import { createPushbackWorld, type PushbackWorld } from './support/pushback-world.ts';

// The real nightly chain: sync → check → annotate, twice. Our own writes bump the dossiers'
// modification date, so the second check re-evaluates them: it must still send nothing.
describe('nightly sync → check → annotate', () => {
  let w: PushbackWorld;
  beforeAll(async () => {
    w = await createPushbackWorld({ seed: 19, dossiers: 15 });
  });
  afterAll(async () => w?.close());

  it('writes every checked dossier once, then nothing on the following nights', async () => {
    const check = await checkDemarche(w.db, w.demarcheConfig, { now: new Date('2026-11-26T01:00:00Z') });
    expect(check.status).not.toBe('failed');
    expect(check.dossiers).toBeGreaterThan(0);
    const first = await annotateDemarche(w.ctx(), w.demarcheConfig, { apply: true });
    expect(first.execution.counts.sent).toBe(check.dossiers);
    expect(first.execution.counts.failed + first.execution.counts.conflict + first.execution.counts.guarded).toBe(0);
    const afterFirst = w.mutations().length;

    for (const night of ['2026-11-27T01:00:00Z', '2026-11-28T01:00:00Z']) {
      await w.sync();
      await checkDemarche(w.db, w.demarcheConfig, { now: new Date(night) });
      const run = await annotateDemarche(w.ctx(), w.demarcheConfig, { apply: true });
      expect(run.execution.results).toEqual([]);
      expect(run.unchanged.length).toBe(check.dossiers);
    }
    expect(w.mutations().length).toBe(afterFirst);
  });
});
