// Issue #16 § 3: a key of a repetition block reads the row whose « Année » cell says the year,
// never the row at some position. Expected values: PROGRAMMES.md « Time split per week, per year:
// at the CHU at least one day (20 %) and at most 40 %; … together 100 % » and « Time splits: checked
// for each year of the chosen duration only ».
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { configSchema, type MappingEntry } from '../src/config/file.schema.ts';
import { buildCandidature } from '../src/rules/candidature.ts';
import { evaluateCandidature } from '../src/rules/engine.ts';
import type { ChampDescriptorInfo } from '../src/rules/mapping/descriptors.ts';
import { resolveMapping } from '../src/rules/mapping/resolve-mapping.ts';
import { buildConfigStub, CLOSING_DATE_PLACEHOLDER } from '../src/rules/mapping/config-stub.ts';
import { matchLabels } from '../src/rules/mapping/match-labels.ts';
import { numbersNamed, rowValueMatches } from '../src/rules/mapping/row-selector.ts';
import { unreachableMappingKeys } from '../src/rules/mapping/unreachable-mapping.ts';
import { getProgramme } from '../src/domain/programmes/index.ts';
import {
  type ChampInput,
  choice,
  contextFor,
  descriptorsOf,
  dossierNode,
  integer,
  ON_TIME,
  repetitionChamp,
  rowChamp,
  storedNode,
  text,
  validAsr,
} from './rules-fixtures.ts';

const BLOCK = 'Répartition du temps de travail par année';
const children: ChampDescriptorInfo[] = [
  { id: 'annee', label: 'Année', type: 'DropDownList', required: true, options: ['1', '2'] },
  { id: 'chu', label: 'Temps au CHU (%)', type: 'Text', required: true },
  { id: 'ch', label: 'Temps au centre hospitalier (%)', type: 'Text', required: true },
];

const QUOTITE_KEYS = ['quotite.chu.annee1', 'quotite.ch.annee1', 'quotite.chu.annee2', 'quotite.ch.annee2'];

const perYear = (champ: string, year: string | number): MappingEntry =>
  ({ repetition: { label: BLOCK }, champ, ligne: { champ: { label: 'Année' }, valeur: year } }) as MappingEntry;

const MAPPING: Record<string, MappingEntry> = {
  'quotite.chu.annee1': perYear('chu', 1),
  'quotite.ch.annee1': perYear('ch', 1),
  'quotite.chu.annee2': perYear('chu', '2'),
  'quotite.ch.annee2': perYear('ch', '2'),
};

interface Row {
  readonly annee: ChampInput | null;
  readonly chu: string;
  readonly ch: string;
}

const row = (annee: string | ChampInput | null, chu: string, ch: string): Row => ({
  annee: typeof annee === 'string' ? choice(annee) : annee,
  chu,
  ch,
});

/** The valid ASR dossier whose time split is a repetition block with these rows, in this order. */
function asrWithRows(rows: readonly Row[], overrides: Record<string, ChampInput> = {}) {
  const champs = { ...validAsr(), ...overrides };
  for (const k of QUOTITE_KEYS) delete champs[k];
  const node = dossierNode(champs, { dateDepot: ON_TIME.asr });
  node.champs.push(
    repetitionChamp(
      'bloc',
      BLOCK,
      rows.map((r, i) => [
        ...(r.annee === null ? [] : [rowChamp('annee', 'Année', r.annee, i)]),
        rowChamp('chu', 'Temps au CHU (%)', text(r.chu), i),
        rowChamp('ch', 'Temps au centre hospitalier (%)', text(r.ch), i),
      ]),
    ),
  );
  const descriptors = [...descriptorsOf(champs), { id: 'bloc', label: BLOCK, type: 'Repetition', required: true, children }];
  const mapping = { ...Object.fromEntries(Object.keys(champs).map((k) => [k, k])), ...MAPPING };
  const { mapping: resolved, problems } = resolveMapping(mapping, descriptors);
  expect(problems).toEqual([]);
  return buildCandidature(storedNode(node), { programme: 'asr' }, resolved);
}

const quotiteFindings = (rows: readonly Row[], overrides: Record<string, ChampInput> = {}) =>
  evaluateCandidature(asrWithRows(rows, overrides), contextFor('asr')).filter((f) => f.ruleId === 'elig.quotite_asr');

describe('configuration: mapping `ligne` (row chosen by the value of a cell)', () => {
  const config = (entry: unknown) =>
    configSchema.safeParse({
      demarches: [{ number: 1, programme: 'asr', session: { closingDate: '2026-02-15' }, mapping: { 'quotite.chu.annee2': entry } }],
    });

  it('accepts { repetition, champ, ligne: { champ, valeur } } with a text or a number', () => {
    expect(config({ repetition: 'r', champ: 'c', ligne: { champ: { label: 'Année' }, valeur: '2' } }).success).toBe(true);
    expect(config({ repetition: 'r', champ: 'c', ligne: { champ: 'a', valeur: 2 } }).success).toBe(true);
  });

  it('refuses a selector without its value or with unknown keys', () => {
    expect(config({ repetition: 'r', champ: 'c', ligne: { champ: 'a' } }).success).toBe(false);
    expect(config({ repetition: 'r', champ: 'c', ligne: { champ: 'a', valeur: '2', rang: 1 } }).success).toBe(false);
  });
});

describe('row selector values, typed the way candidates type them', () => {
  it.each([
    ['2', 2, true],
    ['2e année', 2, true],
    ['Année 2', '2', true],
    ['2ème année', 2, true],
    ['2nde année', 2, true],
    ['Deuxième année', 2, true],
    ['Seconde année', '2', true],
    ['deuxieme', 'Année 2', true],
    ['1re année', 1, true],
    ['Première année', 1, true],
    ['1', 2, false],
    ['Année 2025-2026', 2, false],
    ['1 et 2', 2, false],
    ['', 2, false],
    ['Année 12', 2, false],
    ['Chef de service', 'chef de service', true],
    ['Chef de pôle', 'chef de service', false],
  ] as const)('cell %j, value %j → %s', (cell, value, expected) => {
    expect(rowValueMatches(cell, value)).toBe(expected);
  });

  it('reads the numbers a cell names in digits and in words', () => {
    expect(numbersNamed('Troisième année')).toEqual([3]);
    expect(numbersNamed('2nde')).toEqual([2]);
  });
});

describe('elig.quotite_asr reads each year from the row that says the year', () => {
  it('a « year 2 » row listed first is still year 2', () => {
    // Year 2 CHU 50 % (> 40 %) listed first, year 1 20/80 second.
    const findings = quotiteFindings([row('2', '50', '50'), row('1', '20', '80')]);
    expect(findings.map((f) => f.message).sort()).toEqual([
      'Temps au CHU de 50 % en année 2 (champ « Temps au CHU (%) – Année 2 ») : il doit être compris entre 20 % et 40 %.',
      'Temps au centre hospitalier de 50 % en année 2 (champ « Temps au centre hospitalier (%) – Année 2 ») : il doit être d’au moins 60 %.',
    ]);
  });

  it('rows in any order and year cells as typed: valid splits give no finding', () => {
    expect(quotiteFindings([row('Année 2', '20', '80'), row('1re année', '40', '60')])).toEqual([]);
    expect(quotiteFindings([row(integer('2'), '30', '70'), row(integer('1'), '40', '60')])).toEqual([]);
    expect(quotiteFindings([row('Deuxième année', '30', '70'), row('Première année', '40', '60')])).toEqual([]);
  });

  it('the year-1 row is read for year 1 even when listed second', () => {
    const findings = quotiteFindings([row('2', '20', '80'), row('1', '10', '90')]);
    expect(findings.map((f) => f.message)).toEqual([
      'Temps au CHU de 10 % en année 1 (champ « Temps au CHU (%) – Année 1 ») : il doit être compris entre 20 % et 40 %.',
    ]);
  });

  it('no row says year 2 on a two-year post: one alert naming the row looked for', () => {
    const findings = quotiteFindings([row('1', '20', '80')]);
    expect(findings.map((f) => [f.severity, f.message])).toEqual([
      [
        'alerte',
        `Règle « Répartition du temps CHU / CH » : n’a pas pu être vérifiée : aucune ligne du bloc « ${BLOCK} » n’indique « Année » = 2 (champ « Temps au CHU (%) – Année 2 » recherché) ; vérifiez le dossier à la main.`,
      ],
    ]);
  });

  it('no year-2 row on a one-year post: nothing to check for year 2', () => {
    expect(quotiteFindings([row('1', '20', '80')], { 'poste.duree_annees': choice('1 an') })).toEqual([]);
  });

  it('two rows claim year 2: an alert naming both rows, neither row read', () => {
    const findings = quotiteFindings([row('2', '20', '80'), row('1', '20', '80'), row('2e année', '50', '50')]);
    expect(findings.map((f) => [f.severity, f.message])).toEqual([
      [
        'alerte',
        `Règle « Répartition du temps CHU / CH » : n’a pas pu être vérifiée : 2 lignes du bloc « ${BLOCK} » indiquent « Année » = 2 (lignes 1 et 3), aucune n’a été retenue pour le champ « Temps au CHU (%) – Année 2 » ; vérifiez le dossier et faites corriger la ligne en trop.`,
      ],
    ]);
  });

  it('two rows claim year 2 while the duration is unknown: still reported', () => {
    const findings = quotiteFindings([row('2', '20', '80'), row('1', '20', '80'), row('2', '20', '80')], {
      'poste.duree_annees': text(null),
    });
    expect(findings.map((f) => f.severity)).toEqual(['alerte']);
  });

  it('a row whose year cell is empty is no year', () => {
    const findings = quotiteFindings([row(null, '20', '80'), row('1', '20', '80')]);
    expect(findings.map((f) => f.severity)).toEqual(['alerte']);
  });
});

describe('mapping validation covers the row selector', () => {
  const descriptors: ChampDescriptorInfo[] = [{ id: 'bloc', label: BLOCK, type: 'Repetition', required: true, children }];

  it('an unknown selector champ is a problem of the key (resolve) and an unreachable key (check)', () => {
    const mapping = { 'quotite.chu.annee2': { repetition: 'bloc', champ: 'chu', ligne: { champ: 'inconnu', valeur: '2' } } } as Record<
      string,
      MappingEntry
    >;
    const { problems } = resolveMapping(mapping, descriptors);
    expect(problems).toEqual([
      {
        field: 'quotite.chu.annee2',
        kind: 'absent',
        message: `sélecteur de ligne (ligne.champ) : identifiant de champ « inconnu » introuvable dans le bloc « ${BLOCK} » ; vérifiez-le avec « ds-ars demarche inspect »`,
      },
    ]);
    const keys = unreachableMappingKeys(mapping, [descriptors], getProgramme('asr'));
    expect(keys.map((k) => [k.field, k.ref])).toEqual([['quotite.chu.annee2', '« bloc » › « chu » (ligne où « inconnu » vaut « 2 »)']]);
  });

  it('a selector that names the champ read itself is refused', () => {
    const mapping = { 'quotite.chu.annee2': { repetition: 'bloc', champ: 'chu', ligne: { champ: 'chu', valeur: '2' } } } as Record<
      string,
      MappingEntry
    >;
    expect(resolveMapping(mapping, descriptors).problems.map((p) => p.field)).toEqual(['quotite.chu.annee2']);
  });
});

describe('init proposes a row selector for per-year keys, never a position', () => {
  const asr = getProgramme('asr');

  it('a block with an « Année » cell: one entry per year, selected by that cell', () => {
    const r = matchLabels(asr, [{ id: 'bloc', label: BLOCK, type: 'Repetition', required: true, children }]);
    const row = (champ: string, valeur: number) => ({ repetition: 'bloc', champ, ligne: { champ: 'annee', valeur } });
    expect(Object.fromEntries(QUOTITE_KEYS.map((k) => [k, r.mapping[k]]))).toEqual({
      'quotite.chu.annee1': row('chu', 1),
      'quotite.ch.annee1': row('ch', 1),
      'quotite.chu.annee2': row('chu', 2),
      'quotite.ch.annee2': row('ch', 2),
    });
    const stub = buildConfigStub({ demarche: 9, programme: asr, title: null, match: r, annotations: {}, generatedOn: '2026-12-07' });
    expect(stub).toContain('quotite.chu.annee2: { repetition: "bloc", champ: "chu", ligne: { champ: "annee", valeur: 2 } }');
    // The stub loads, and the proposal resolves against the form.
    const parsed = configSchema.parse(parseYaml(stub.replace(CLOSING_DATE_PLACEHOLDER, '2026-02-15')));
    expect(
      resolveMapping(parsed.demarches[0]!.mapping, [{ id: 'bloc', label: BLOCK, type: 'Repetition', required: true, children }]).problems,
    ).toEqual([]);
  });

  it('« Année de fonctions » names the year too', () => {
    const block = {
      id: 'bloc',
      label: 'Temps de travail',
      type: 'Repetition',
      required: true,
      children: [{ ...children[0]!, label: 'Année de fonctions' }, ...children.slice(1)],
    };
    expect(matchLabels(asr, [block]).mapping['quotite.ch.annee2']).toEqual({
      repetition: 'bloc',
      champ: 'ch',
      ligne: { champ: 'annee', valeur: 2 },
    });
  });

  it('a block with no cell naming the year: no per-year key is proposed from it', () => {
    const r = matchLabels(asr, [{ id: 'bloc', label: BLOCK, type: 'Repetition', required: true, children: children.slice(1) }]);
    expect(QUOTITE_KEYS.map((k) => r.mapping[k])).toEqual([undefined, undefined, undefined, undefined]);
    expect(r.report).toContain(
      `Bloc répétable « ${BLOCK} » : ses champs ressemblent à quotite.chu.annee1, quotite.ch.annee1, quotite.chu.annee2, quotite.ch.annee2, mais aucune colonne ne dit de quelle année est chaque ligne (libellé commençant par « Année ») ; rien n’est proposé, une ligne ne se choisit jamais par sa position. Reliez-les à la main avec « ligne: { champ: …, valeur: … } » (voir docs/regles.md).`,
    );
  });
});

describe('complet.champ_requis and a required key read from a row', () => {
  it('no row says year 1 (a key the programme requires): an alert naming the row, not a silent skip', () => {
    const findings = evaluateCandidature(asrWithRows([row('2', '20', '80')]), contextFor('asr')).filter(
      (f) => f.ruleId === 'complet.champ_requis',
    );
    expect(findings.map((f) => [f.severity, f.message]).sort()).toEqual([
      [
        'alerte',
        `Règle « Champs obligatoires remplis » : n’a pas pu être vérifiée : aucune ligne du bloc « ${BLOCK} » n’indique « Année » = 1 (champ « Temps au CHU (%) – Année 1 » recherché) ; vérifiez le dossier à la main.`,
      ],
      [
        'alerte',
        `Règle « Champs obligatoires remplis » : n’a pas pu être vérifiée : aucune ligne du bloc « ${BLOCK} » n’indique « Année » = 1 (champ « Temps au centre hospitalier (%) – Année 1 » recherché) ; vérifiez le dossier à la main.`,
      ],
    ]);
  });
});
