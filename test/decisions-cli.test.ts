import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { capture } from './support/cli-capture.ts';
import { dialects } from './support/postgres.ts';
import { createWorld, fillWorkbook, mutationsFor, type DecisionsWorld } from './support/decisions-fixture.ts';

let world: DecisionsWorld;
let report: string;
const received: ParsedMail[] = [];
// A real SMTP server on loopback; each accepted message is parsed by mailparser.
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData: (stream, _session, callback) => {
    simpleParser(stream)
      .then((mail) => {
        received.push(mail);
        callback();
      })
      .catch(callback);
  },
});
const saved = { ...process.env };

async function run(...args: string[]) {
  const io = capture();
  const code = await main(['node', 'ds-ars', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe.each(dialects)('decisions CLI (%s)', (dialect) => {
  beforeAll(async () => {
    received.length = 0;
    world = await createWorld({ seed: 3, dialect });
    report = await world.report();
    const configPath = join(world.dir, 'ds-ars.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        demarches: world.config.demarches.map((d) => ({
          number: d.number,
          programme: d.programme,
          instructeurEmail: d.instructeurEmail,
          session: { closingDate: d.session.closingDate },
        })),
        mail: {
          smtp: { host: '127.0.0.1', port: (smtp.server.address() as { port: number }).port },
          from: 'ds-ars@ars.example.test',
          to: ['jury@ars.example.test'],
        },
      }),
    );
    // The commands read their environment like in production; the database is the synced one.
    Object.assign(process.env, {
      DS_API_URL: world.sim.graphqlUrl,
      DS_API_TOKEN: world.sim.tokens.readWrite,
      DS_ARS_DB: world.dbPath,
      DS_ARS_CONFIG: configPath,
      DS_ARS_RATE_LIMIT: '6000',
      DS_ARS_LOG_LEVEL: 'silent',
    });
  });

  afterAll(async () => {
    process.env = { ...saved };
    await world?.close();
  });

  describe('ds-ars decisions', () => {
    it('plan --json lists every row; exit 0 when nothing is wrong', async () => {
      const [a, b] = await world.take('en_instruction', 2);
      const file = await fillWorkbook(report, join(world.dir, 'cli-ok.xlsx'), [
        { dossier: a!, decision: 'Accepter' },
        { dossier: b!, decision: 'Refuser', motivation: 'Hors délai.' },
      ]);
      const result = await run('decisions', 'plan', file, '--json');
      expect(result.code).toBe(0);
      const plan = JSON.parse(result.out) as {
        demarche: number;
        mutations: Array<{ operation: string; dossier: number; motivation: string | null }>;
      };
      expect(plan.demarche).toBe(world.demarche.number);
      expect(plan.mutations).toEqual([
        { operation: 'accepter', dossier: a, motivation: null },
        { operation: 'refuser', dossier: b, motivation: 'Hors délai.' },
      ]);

      // A dry run reads the workbook and the mirror only: no DS token needed.
      const token = process.env.DS_API_TOKEN;
      delete process.env.DS_API_TOKEN;
      const dry = await run('decisions', 'apply', file).finally(() => (process.env.DS_API_TOKEN = token));
      expect(dry.code).toBe(0);
      expect(dry.out).toContain('Simulation : rien n’a été envoyé');
      expect(mutationsFor(world, [a!, b!])).toHaveLength(0);

      const applied = await run('decisions', 'apply', file, '--apply');
      expect(applied.code).toBe(0);
      expect(applied.out).toMatch(/Résumé par ligne — Appliqué : 2 ; /);
      expect(applied.out).toMatch(/Classeur de résultats : .*cli-ok-resultat-.*\.xlsx/);
      expect(world.sim.store.getDossier(b!)).toMatchObject({ state: 'refuse', motivation: 'Hors délai.' });
    });

    it('prints located row errors in French and exits 1', async () => {
      const [a] = await world.take('en_instruction', 1);
      const file = await fillWorkbook(report, join(world.dir, 'cli-erreur.xlsx'), [{ dossier: a!, decision: 'Classer sans suite' }]);
      const result = await run('decisions', 'plan', file);
      expect(result.code).toBe(1);
      expect(result.out).toMatch(
        /Feuille « Décisions », ligne \d+, colonne « Motivation » \([A-Z]+\) : motivation obligatoire pour « Classer sans suite »/,
      );
      expect(result.out).toContain('Résumé : 0 à faire');
      expect(result.err).toContain('Terminé avec des erreurs');
    });

    it('mails a summary after --apply --mail, with the result workbook attached', async () => {
      const [a] = await world.take('en_instruction', 1);
      const [b] = await world.take('refuse', 1);
      const file = await fillWorkbook(report, join(world.dir, 'cli-mail.xlsx'), [
        { dossier: a!, decision: 'Accepter' },
        { dossier: b!, decision: 'Accepter' },
      ]);
      const result = await run('decisions', 'apply', file, '--apply', '--mail');
      expect(result.code).toBe(1);
      expect(result.out).toContain('Résumé envoyé par mail à jury@ars.example.test.');
      expect(received).toHaveLength(1);
      const mail = received[0]!;
      expect(mail.subject).toBe(`[ds-ars] Décisions de la démarche ${world.demarche.number} : 1 appliquée, 1 à reprendre`);
      expect(mail.text).toContain('- Appliqué : 1');
      expect(mail.text).toMatch(new RegExp(`dossier n° ${b} déjà refusé : repasser en instruction d’abord dans DS`));
      expect(mail.attachments.map((x) => x.filename)).toEqual([expect.stringMatching(/^cli-mail-resultat-.*\.xlsx$/)]);
    });

    it('exits 2 for a workbook of another démarche, a missing file or a missing configuration', async () => {
      const refused = await run('decisions', 'apply', report, '--apply', '--demarche', String(world.other.number));
      expect(refused.code).toBe(2);
      expect(refused.err).toMatch(/Classeur refusé .*appartient à la démarche/);

      const missing = await run('decisions', 'plan', join(world.dir, 'absent.xlsx'));
      expect(missing.code).toBe(2);
      expect(missing.err).toContain('Classeur introuvable');

      const config = process.env.DS_ARS_CONFIG;
      delete process.env.DS_ARS_CONFIG;
      try {
        const noConfig = await run('decisions', 'plan', report);
        expect(noConfig.code).toBe(2);
        expect(noConfig.err).toContain('Fichier de configuration requis');
      } finally {
        process.env.DS_ARS_CONFIG = config;
      }
    });
  });
});
