/** Every threshold of the call lives in the session block, seeds' values as defaults (issue #16 § 2). */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/file.ts';
import type { DemarcheConfig } from '../src/config/file.schema.ts';
import { sessionParameterLines, sessionParameters } from '../src/rules/session-parameters.ts';
import { choice, contextFor, date, findingsOf, integer, SESSIONS, severities, validAsap, validAsr, validAumg } from './rules-fixtures.ts';

type Session = DemarcheConfig['session'];
const config = (programme: string, session: Record<string, unknown>) => () =>
  parseConfig({ demarches: [{ number: 1, programme, session: { closingDate: '2026-01-31', ...session } }] }, 'test');

describe('session block: validation in French', () => {
  it.each([
    [
      'CHU minimum above its maximum',
      { timeSplitAsr: { chuMinPercent: 50 } },
      'demarches[0].session.timeSplitAsr.chuMinPercent : chuMinPercent (50) doit être inférieur ou égal à chuMaxPercent (40)',
    ],
    [
      'percentage above 100',
      { timeSplitAsap: { ambulatoryMinPercent: 120 } },
      'demarches[0].session.timeSplitAsap.ambulatoryMinPercent : un pourcentage ne peut pas dépasser 100',
    ],
    [
      'percentage typed with %',
      { timeSplitAsr: { chMinPercent: '60 %' } },
      'demarches[0].session.timeSplitAsr.chMinPercent : pourcentage attendu (nombre entre 0 et 100, sans le signe %)',
    ],
    ['no accepted zone', { zones: { accepted: [] } }, 'demarches[0].session.zones.accepted : au moins une zone acceptée attendue'],
    [
      'window upside down',
      { postInternship: { alertFromYears: 6 } },
      'demarches[0].session.postInternship.alertFromYears : alertFromYears (6) doit être inférieur ou égal à maxYears (5)',
    ],
    ['no required DES', { requiredDes: [] }, 'demarches[0].session.requiredDes : au moins une spécialité attendue'],
  ])('%s', (_name, session, message) => {
    expect(config('aumg', session)).toThrow(message);
  });

  it('accepts a session without thresholds and applies the seeds’ values', () => {
    const parsed = config('asr', {})();
    const p = sessionParameters('asr', parsed.demarches[0]!.session);
    expect(p.timeSplitAsr).toEqual({ chuMinPercent: 20, chuMaxPercent: 40, chMinPercent: 60, totalPercent: 100 });
    expect(p.durationsYears).toEqual([1, 2]);
    expect(sessionParameters('aumg', parsed.demarches[0]!.session)).toMatchObject({
      zones: { accepted: ['ZIP', 'ZIP+', 'ZAC', 'QPV'], refuseOther: true },
      requiredDes: ['médecine générale'],
      postInternship: { alertFromYears: 4, maxYears: 5, alertFromIncluded: true, maxIncluded: true },
    });
    expect(sessionParameters('asap', parsed.demarches[0]!.session).timeSplitAsap).toEqual({ ambulatoryMinPercent: 50, totalPercent: 100 });
  });
});

describe('rules read the session’s thresholds', () => {
  const ctx = (programme: 'aumg' | 'asr' | 'asap', extra: Partial<Session>) =>
    contextFor(programme, { session: { ...SESSIONS[programme], ...extra } });

  it('elig.quotite_asr: a call allowing 50 % at the CHU', () => {
    const champs = { ...validAsr(), 'quotite.chu.annee1': integer('50'), 'quotite.ch.annee1': integer('50') };
    expect(severities(findingsOf('elig.quotite_asr', 'asr', champs))).toEqual(['bloquant', 'bloquant']);
    expect(
      findingsOf('elig.quotite_asr', 'asr', champs, { ctx: ctx('asr', { timeSplitAsr: { chuMaxPercent: 50, chMinPercent: 50 } }) }),
    ).toEqual([]);
  });

  it('elig.quotite_asap: a call asking for 60 % ambulatory', () => {
    expect(findingsOf('elig.quotite_asap', 'asap', validAsap())).toEqual([]);
    const [f] = findingsOf('elig.quotite_asap', 'asap', validAsap(), { ctx: ctx('asap', { timeSplitAsap: { ambulatoryMinPercent: 60 } }) });
    expect(f?.message).toBe(
      'Temps en structure ambulatoire de 50 % (champ « Libellé quotite.ambulatoire.annee1 ») : il doit être d’au moins 60 % (consultations avancées).',
    );
  });

  it('elig.zone: accepted zones and « Autre » free text', () => {
    const zone = (value: string, extra: Partial<Session>) =>
      severities(findingsOf('elig.zone', 'aumg', { ...validAumg(), 'structure.zone': choice(value) }, { ctx: ctx('aumg', extra) }));
    expect(zone('ZAC', {})).toEqual([]);
    expect(zone('ZAC', { zones: { accepted: ['ZIP', 'QPV'] } })).toEqual(['bloquant']);
    expect(zone('ZIP+', { zones: { accepted: ['ZIP'] } })).toEqual(['bloquant']);
    expect(zone('Zone de revitalisation rurale', {})).toEqual(['bloquant']);
    expect(zone('Zone de revitalisation rurale', { zones: { refuseOther: false } })).toEqual(['alerte']);
    expect(zone('Hors zonage', { zones: { refuseOther: false } })).toEqual(['bloquant']);
    expect(zone('ZRR', { zones: { accepted: ['ZIP', 'ZRR'] } })).toEqual([]);
  });

  it('elig.des_mg: the required DES', () => {
    const des = (value: string, extra: Partial<Session>) =>
      severities(
        findingsOf('elig.des_mg', 'aumg', { ...validAumg(), 'candidat.specialite_des': choice(value) }, { ctx: ctx('aumg', extra) }),
      );
    expect(des('DES de MG', {})).toEqual([]);
    expect(des('Santé publique', {})).toEqual(['bloquant']);
    expect(des('Santé publique', { requiredDes: ['médecine générale', 'santé publique'] })).toEqual([]);
  });

  it('elig.post_internat: the window and which end is inclusive', () => {
    // Start 2025-11-01 (SESSIONS.aumg): exactly 5 years before is 2020-11-01.
    const fin = (value: string, extra: Partial<Session>) =>
      severities(
        findingsOf(
          'elig.post_internat',
          'aumg',
          { ...validAumg(), 'candidat.date_fin_internat': date(value) },
          { ctx: ctx('aumg', extra) },
        ),
      );
    expect(fin('2020-11-01', {})).toEqual(['alerte']);
    expect(fin('2020-11-01', { postInternship: { maxIncluded: false } })).toEqual(['bloquant']);
    expect(fin('2021-11-01', {})).toEqual(['alerte']);
    expect(fin('2021-11-01', { postInternship: { alertFromIncluded: false } })).toEqual([]);
    expect(fin('2022-11-01', { postInternship: { alertFromYears: 3, maxYears: 6 } })).toEqual(['alerte']);
  });

  it('elig.session: durations default to the seed’s (ASR: 1 or 2 years)', () => {
    const noDurations = contextFor('asr', { session: { closingDate: '2026-02-15', startDates: SESSIONS.asr.startDates } });
    expect(noDurations.session.durationsYears).toEqual([1, 2]);
    expect(
      severities(findingsOf('elig.session', 'asr', { ...validAsr(), 'poste.duree_annees': choice('3 ans') }, { ctx: noDurations })),
    ).toEqual(['bloquant']);
  });
});

describe('« Paramètres de la session » lines', () => {
  it('show the values used and which ones are the seed’s defaults', () => {
    const p = sessionParameters('asr', {
      closingDate: '2026-01-31',
      startDates: ['2026-05-04', '2026-11-02'],
      timeSplitAsr: { chuMaxPercent: 50 },
    });
    expect(sessionParameterLines('asr', p)).toEqual([
      ['Date de clôture (incluse, heure de Paris)', '31/01/2026'],
      ['Dates de prise de fonction', '04/05/2026, 02/11/2026'],
      ['Durées possibles', '1 ou 2 ans (valeur par défaut)'],
      ['Quotité au CHU, par an', 'de 20 % à 50 % (en partie valeur par défaut)'],
      ['Quotité au centre hospitalier, par an', 'au moins 60 % (valeur par défaut)'],
      ['Total CHU + centre hospitalier', '100 % (valeur par défaut)'],
    ]);
    const full = sessionParameters('asr', {
      closingDate: '2026-01-31',
      timeSplitAsr: { chuMinPercent: 20, chuMaxPercent: 50, chMinPercent: 50, totalPercent: 100 },
    });
    expect(sessionParameterLines('asr', full)[3]).toEqual(['Quotité au CHU, par an', 'de 20 % à 50 %']);
  });

  it('AUMG: zones, « Autre », DES and the post-internship window', () => {
    const lines = sessionParameterLines('aumg', sessionParameters('aumg', { closingDate: '2025-04-30', zones: { refuseOther: false } }));
    expect(lines).toContainEqual(['Zones acceptées pour la structure', 'ZIP, ZIP+, ZAC ou QPV (valeur par défaut)']);
    expect(lines).toContainEqual(['Autre zone saisie en texte libre', 'à vérifier (alerte)']);
    expect(lines).toContainEqual([
      'Fin d’internat avant la prise de fonction',
      'alerte à partir de 4 ans (inclus), refus au-delà de 5 ans (5 ans exactement acceptés) (valeur par défaut)',
    ]);
  });
});
