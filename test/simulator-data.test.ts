import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, PROGRAMME_IDS, type RunningSimulator } from '../src/simulator/index.ts';
import { scenariosFor } from '../src/simulator/scenarios.ts';
import { isLuhnValid } from '../src/simulator/identifiers.ts';
import { gql, GET_DEMARCHE, GET_DOSSIER, GET_DOSSIERS, scan } from './simulator-helpers.ts';

const withoutUrls = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (k, v) => (k === 'url' ? undefined : v)));

/** Calendar date and time of an ISO string in its own offset (the Paris wall clock). */
const wallClock = (iso: string): string => iso.slice(0, 16);

describe('simulator: seeded data', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 1, dossiersPerDemarche: 40, rateLimitPerMinute: 0 });
  });
  afterAll(() => sim.close());

  it('publishes five démarches, one per programme, with distinct numbers, French titles and sessions', async () => {
    expect(sim.demarches.map((d) => d.programme)).toEqual([...PROGRAMME_IDS]);
    expect(new Set(sim.demarches.map((d) => d.number)).size).toBe(5);
    const aumg = sim.demarches.find((d) => d.programme === 'aumg')!;
    expect(aumg.session).toMatchObject({ closingDate: '2025-04-30', startDates: ['2025-11-01'], monthlyAmountEur: 2000, months: 24 });
    expect(sim.demarches.find((d) => d.programme === 'asr')!.session.startDates).toEqual(['2026-05-04', '2026-11-02', '2027-05-02']);
    const { json } = await gql(sim, GET_DEMARCHE, { number: aumg.number });
    const demarche = json.data.demarche;
    expect(demarche).toMatchObject({ state: 'publiee', title: aumg.title });
    const labels = demarche.activeRevision.champDescriptors.map((c: { label: string }) => c.label);
    expect(labels).toEqual(
      expect.arrayContaining([
        "Nom de l'université",
        "Zone d'implantation de la structure (ZIP, ZIP+, ZAC, QPV)",
        'Numéro RPPS',
        'Curriculum vitae',
      ]),
    );
    const zone = demarche.activeRevision.champDescriptors.find((c: { label: string }) => c.label.startsWith('Zone'));
    expect(zone).toMatchObject({
      __typename: 'DropDownListChampDescriptor',
      required: true,
      options: expect.arrayContaining(['ZIP', 'ZIP+', 'ZAC', 'QPV']),
    });
    const annotations = demarche.activeRevision.annotationDescriptors.map((c: { label: string }) => c.label);
    expect(annotations).toEqual(
      expect.arrayContaining([
        'Contrôle automatique – synthèse',
        'Dossier complet',
        'Éligibilité',
        'Date du contrôle',
        'Ordre de priorité',
      ]),
    );
    expect(demarche.labels.map((l: { name: string }) => l.name)).toEqual(expect.arrayContaining(['À examiner', 'Complet']));
    expect(demarche.groupeInstructeurs).toHaveLength(2);
  });

  it('exercises every scenario of each programme with 40 dossiers, and every state', () => {
    for (const d of sim.demarches) {
      const dossiers = sim.store.listDossiers(d.number);
      const seen = new Set(dossiers.map((x) => x.scenario));
      for (const s of scenariosFor(d.programme)) expect(seen, `${d.programme}: ${s.id}`).toContain(s.id);
      const states = new Set(dossiers.map((x) => x.state));
      for (const state of ['brouillon', 'en_construction', 'en_instruction', 'accepte', 'refuse', 'sans_suite'])
        expect(states).toContain(state);
    }
  });

  it('dates deposits in Europe/Paris on both sides of the closing day', async () => {
    const aumg = sim.demarches.find((d) => d.programme === 'aumg')!;
    const find = (scenario: string) => sim.store.listDossiers(aumg.number).find((x) => x.scenario === scenario)!;
    const onTime = (await gql(sim, GET_DOSSIER, { number: find('depot_limite_23h59').number })).json.data.dossier;
    expect(onTime.dateDepot).toBe('2025-04-30T23:59:00+02:00');
    const late = (await gql(sim, GET_DOSSIER, { number: find('depot_hors_delai_00h10').number })).json.data.dossier;
    expect(late.dateDepot).toBe('2025-05-01T00:10:00+02:00');
    expect(new Date(late.dateDepot).toISOString().slice(0, 10)).toBe('2025-04-30');
    expect(wallClock(onTime.dateDepot) < wallClock(late.dateDepot)).toBe(true);
  });

  it('uses valid identifiers in valid dossiers and broken keys in the matching scenarios', () => {
    const mgvh = sim.demarches.find((d) => d.programme === 'mgvh')!;
    const dossiers = sim.store.listDossiers(mgvh.number);
    for (const d of dossiers.filter((x) => x.scenario === 'valide')) {
      expect(isLuhnValid(String(d.champs['rpps']))).toBe(true);
      expect(String(d.champs['finess'])).toMatch(/^\d{9}$/);
      expect(isLuhnValid(String(d.champs['finess']))).toBe(true);
      expect(isLuhnValid(String(d.champs['structure_siret']))).toBe(true);
    }
    const poste = dossiers.find((x) => x.scenario === 'siret_la_poste')!.champs['structure_siret'] as string;
    expect(poste.startsWith('356000000')).toBe(true);
    expect([...poste].reduce((s, c) => s + Number(c), 0) % 5).toBe(0);
    expect(isLuhnValid(String(dossiers.find((x) => x.scenario === 'rpps_cle_invalide')!.champs['rpps']))).toBe(false);
    expect(isLuhnValid(String(dossiers.find((x) => x.scenario === 'finess_cle_invalide')!.champs['finess']))).toBe(false);
  });

  it('hides conditional champs from the API (RPPS when not yet registered, year 2 of a one-year post)', async () => {
    const asr = sim.demarches.find((d) => d.programme === 'asr')!;
    const find = (scenario: string) => sim.store.listDossiers(asr.number).find((x) => x.scenario === scenario)!;
    const labelsOf = async (n: number) =>
      (await gql(sim, GET_DOSSIER, { number: n })).json.data.dossier.champs.map((c: { label: string }) => c.label);
    const planned = await labelsOf(find('rpps_absent_date_prevue').number);
    expect(planned).not.toContain('Numéro RPPS');
    expect(planned).toContain("Date prévisionnelle d'inscription à l'Ordre");
    const oneYear = await labelsOf(find('poste_un_an_annee_2_masquee').number);
    expect(oneYear).toContain('Quotité CHU année 1 (%)');
    expect(oneYear).not.toContain('Quotité CHU année 2 (%)');
  });

  it('computes expected verdicts from scenarios, duplicates from the live data', () => {
    for (const d of sim.demarches) {
      const dossiers = sim.store.listDossiers(d.number);
      const verdict = (scenario: string) => sim.store.expectedVerdict(dossiers.find((x) => x.scenario === scenario)!.number);
      expect(verdict('valide')).toMatchObject({ complet: true, eligible: 'oui', rules: [] });
      expect(verdict('depot_hors_delai_00h10')).toMatchObject({ complet: true, eligible: 'non', rules: ['delai.depot'] });
      expect(verdict('piece_requise_manquante')).toMatchObject({ complet: false, eligible: 'non', rules: ['complet.piece_requise'] });
      expect(verdict('rpps_cle_invalide')).toMatchObject({ complet: true, eligible: 'a_verifier', rules: ['id.rpps'] });
      for (const dup of ['doublon_rpps', 'doublon_nom']) {
        const copy = dossiers.find((x) => x.scenario === dup)!;
        expect(sim.store.expectedVerdict(copy.number).rules, `${d.programme} ${dup}`).toEqual(['doublon.candidat']);
        const source = dossiers.find(
          (x) =>
            x !== copy &&
            sim.store.expectedVerdict(x.number).rules.includes('doublon.candidat') &&
            (dup === 'doublon_rpps' ? x.champs['rpps'] === copy.champs['rpps'] : x.champs['naissance'] === copy.champs['naissance']),
        );
        expect(source, `${d.programme} ${dup} source`).toBeDefined();
      }
    }
    const asr = sim.store.listDossiers(sim.demarches.find((d) => d.programme === 'asr')!.number);
    const asrVerdict = (scenario: string) => sim.store.expectedVerdict(asr.find((x) => x.scenario === scenario)!.number);
    expect(asrVerdict('avis_favorable_avec_reserves')).toMatchObject({ complet: true, eligible: 'a_verifier', rules: ['avis.complets'] });
    expect(asrVerdict('consentement_non_coche')).toMatchObject({ complet: false, eligible: 'non', rules: ['rgpd.consentement'] });
    expect(asrVerdict('quotite_chu_20')).toMatchObject({ eligible: 'oui' });
  });

  it('does not bump dateDerniereModification on label changes, but does on usager and instructor edits', async () => {
    const number = sim.demarches[1]!.number;
    const d = sim.store.listDossiers(number).find((x) => x.state === 'en_construction' && x.labels.length === 0)!;
    sim.store.addLabel(d.number, 'Complet');
    const labelled = (await gql(sim, GET_DOSSIER, { number: d.number })).json.data.dossier;
    expect(labelled.labels.map((l: { name: string }) => l.name)).toEqual(['Complet']);
    expect(Date.parse(labelled.dateDerniereModification)).toBe(Math.floor(d.dateDerniereModification.getTime() / 1000) * 1000);
    sim.store.removeLabel(d.number, 'Complet');
    expect(sim.store.getDossier(d.number).dateDerniereModification).toEqual(d.dateDerniereModification);
    expect(() => sim.store.addLabel(d.number, 'Inconnu')).toThrow();
    const edited = sim.store.editDossier(d.number);
    expect(edited.dateDerniereModification.getTime()).toBeGreaterThan(d.dateDerniereModification.getTime());
    expect(edited.dateDerniereModificationChamps).toEqual(edited.dateDerniereModification);
    const annotated = sim.store.editAnnotation(d.number, 'a_commentaire', 'Vu en réunion');
    expect(annotated.dateDerniereModificationAnnotations.getTime()).toBeGreaterThan(edited.dateDerniereModification.getTime());
    expect(annotated.dateDerniereModificationChamps).toEqual(edited.dateDerniereModificationChamps);
  });
});

describe('simulator: usager edits', () => {
  it('edit a free-text champ only, so pieces and verdicts stay as seeded', async () => {
    const sim = await startSimulator({ seed: 8, dossiersPerDemarche: 6, rateLimitPerMinute: 0 });
    try {
      for (const d of sim.demarches) {
        const target = sim.store.listDossiers(d.number).find((x) => x.scenario === 'valide' && x.state === 'en_construction')!;
        const edited = sim.store.editDossier(target.number);
        expect(edited.files).toEqual(target.files);
        const changed = Object.keys(edited.champs).filter((k) => JSON.stringify(edited.champs[k]) !== JSON.stringify(target.champs[k]));
        expect(changed).toHaveLength(1);
        expect(typeof edited.champs[changed[0]!]).toBe('string');
        expect(sim.store.expectedVerdict(target.number)).toMatchObject({ eligible: 'oui', rules: [] });
      }
    } finally {
      await sim.close();
    }
  });
});

describe('simulator: determinism', () => {
  it('serves the same data for the same seed and different data for another seed', async () => {
    const load = async (seed: number) => {
      const sim = await startSimulator({ seed, programmes: ['asap', 'aumg'], dossiersPerDemarche: 15, rateLimitPerMinute: 0 });
      try {
        const pages = [];
        for (const d of sim.demarches) pages.push((await gql(sim, GET_DOSSIERS, { number: d.number, first: 100 })).json);
        return { pages: withoutUrls(pages), tokens: sim.tokens, numbers: (await scan(sim, sim.demarches[0]!.number)).map((n) => n.number) };
      } finally {
        await sim.close();
      }
    };
    const [a, b, c] = [await load(9), await load(9), await load(10)];
    expect(a).toEqual(b);
    expect(JSON.stringify(c.pages)).not.toBe(JSON.stringify(a.pages));
    expect(c.tokens.readWrite).not.toBe(a.tokens.readWrite);
  });
});
