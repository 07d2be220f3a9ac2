import { describe, expect, it } from 'vitest';
import { buildCandidature, fieldOf } from '../src/rules/candidature.ts';
import { resolveMapping } from '../src/rules/mapping/resolve-mapping.ts';
import {
  candidatureOf,
  checkbox,
  date,
  decimal,
  dossierNode,
  HIDDEN,
  integer,
  multi,
  pdf,
  piece,
  siretChamp,
  storedNode,
  text,
  yesNo,
} from './rules-fixtures.ts';

describe('buildCandidature: field status', () => {
  it.each([
    ['filled', text('Dupont'), 'rempli'],
    ['empty', text(null), 'vide'],
    ['blank', text('   '), 'vide'],
    ['only zero-width characters', text('\u200B\uFEFF'), 'vide'],
    ['only bidi marks', text('\u200E\u202B\u202C'), 'vide'],
    ['unticked checkbox', checkbox(false), 'vide'],
    ['ticked checkbox', checkbox(true), 'rempli'],
    ['yes/no answered no', yesNo(false), 'rempli'],
    ['yes/no unanswered', yesNo(null), 'vide'],
    ['piece without file', piece([]), 'vide'],
    ['multiple choice without value', multi([]), 'vide'],
    ['hidden by a condition', HIDDEN, 'absent_du_formulaire'],
  ] as const)('%s → %s', (_name, champ, status) => {
    expect(fieldOf(candidatureOf('aumg', { 'candidat.nom': champ }), 'candidat.nom').status).toBe(status);
  });

  it('a field not mapped is absent, with the programme label', () => {
    const f = fieldOf(candidatureOf('aumg', {}), 'candidat.rpps');
    expect(f).toMatchObject({ status: 'absent_du_formulaire', mapped: false, champId: null, label: 'Numéro RPPS du candidat' });
  });

  it('keeps the form label and descriptor id', () => {
    const f = fieldOf(candidatureOf('aumg', { 'candidat.nom': text('Dupont', { label: 'NOM de naissance' }) }), 'candidat.nom');
    expect(f).toMatchObject({ label: 'NOM de naissance', champId: 'candidat.nom', raw: 'Dupont', value: 'Dupont' });
  });
});

describe('buildCandidature: values typed differently from expectation', () => {
  it.each([
    ['date in a text champ', 'candidat.date_fin_internat', text('30/04/2025'), 'date', '2025-04-30'],
    ['ISO date champ', 'candidat.date_fin_internat', date('2025-04-30'), 'date', '2025-04-30'],
    ['BigInt string', 'poste.duree_annees', integer('2'), 'number', 2],
    ['"2 ans" in a text champ', 'poste.duree_annees', text('2 ans'), 'number', 2],
    ['decimal comma', 'poste.duree_annees', text('1,5'), 'number', 1.5],
    ['"oui" typed as text', 'candidat.these_soutenue', text('oui'), 'boolean', true],
    ['"Non" typed as text', 'candidat.these_soutenue', text('Non'), 'boolean', false],
    ['percentage with sign', 'quotite.chu.annee1', text('40 %'), 'percent', 40],
    ['decimal number champ', 'quotite.chu.annee1', decimal(33.5), 'percent', 33.5],
    ['SIRET champ', 'structure.siret', siretChamp('73282932000074'), 'text', '73282932000074'],
  ] as const)('%s', (_name, key, champ, reading, expected) => {
    const programme =
      key.startsWith('quotite') || key === 'poste.duree_annees' || key === 'candidat.these_soutenue'
        ? 'asr'
        : key === 'structure.siret'
          ? 'mgvh'
          : 'aumg';
    const f = fieldOf(candidatureOf(programme, { [key]: champ }), key);
    expect(f[reading]).toBe(expected);
  });

  it('keeps every file of a piece, with its size as a number', () => {
    const f = fieldOf(candidatureOf('aumg', { 'piece.cv': piece([pdf('a.pdf'), pdf('b.pdf')]) }), 'piece.cv');
    expect(f.files.map((x) => [x.filename, x.byteSize])).toEqual([
      ['a.pdf', 1234],
      ['b.pdf', 1234],
    ]);
  });

  it('an unreadable date is filled but has no date', () => {
    const f = fieldOf(candidatureOf('aumg', { 'candidat.date_fin_internat': text('bientôt') }), 'candidat.date_fin_internat');
    expect(f).toMatchObject({ status: 'rempli', date: null, raw: 'bientôt' });
  });

  it('keeps a huge value without failing', () => {
    const huge = 'é'.repeat(200_000);
    const f = fieldOf(candidatureOf('aumg', { 'candidat.nom': text(huge) }), 'candidat.nom');
    expect(f.raw).toHaveLength(200_000);
  });
});

describe('buildCandidature: repetition blocks', () => {
  const node = {
    ...dossierNode({}),
    champs: [
      {
        __typename: 'RepetitionChamp',
        id: 'r',
        champDescriptorId: 'bloc',
        label: 'Diplômes',
        stringValue: null,
        updatedAt: '2025-04-01T10:00:00Z',
        prefilled: false,
        rows: [
          {
            id: 'row1',
            champs: [
              {
                __typename: 'PieceJustificativeChamp',
                id: 'c1',
                champDescriptorId: 'fichier',
                label: 'Copie',
                stringValue: null,
                updatedAt: '2025-04-01T10:00:00Z',
                prefilled: false,
                files: [pdf('d1.pdf')],
              },
            ],
          },
          {
            id: 'row2',
            champs: [
              {
                __typename: 'PieceJustificativeChamp',
                id: 'c2',
                champDescriptorId: 'fichier',
                label: 'Copie',
                stringValue: null,
                updatedAt: '2025-04-01T10:00:00Z',
                prefilled: false,
                files: [pdf('d2.pdf')],
              },
            ],
          },
        ],
      },
    ],
  };
  const descriptors = [
    {
      id: 'bloc',
      label: 'Diplômes',
      type: 'Repetition',
      required: false,
      children: [{ id: 'fichier', label: 'Copie', type: 'PieceJustificative', required: true }],
    },
  ];

  it('gathers a champ over every row', () => {
    const { mapping } = resolveMapping({ 'piece.diplomes': { repetition: 'bloc', champ: 'fichier' } }, descriptors);
    const c = buildCandidature(storedNode(node), { programme: 'asap' }, mapping);
    const f = fieldOf(c, 'piece.diplomes');
    expect(f.status).toBe('rempli');
    expect(f.files.map((x) => x.filename)).toEqual(['d1.pdf', 'd2.pdf']);
    expect(f.label).toBe('Diplômes › Copie');
  });

  it('lists row champs with their required flag for complet.champ_requis', () => {
    const { mapping } = resolveMapping({}, descriptors);
    const c = buildCandidature(storedNode(node), { programme: 'asap' }, mapping);
    expect(c.champs.filter((x) => x.required).map((x) => x.label)).toEqual(['Diplômes › Copie (ligne 1)', 'Diplômes › Copie (ligne 2)']);
  });

  it('joins the filled lines, and reads dates from the first filled one', () => {
    const line = (id: string, value: string | null) => ({
      id,
      champs: [
        {
          __typename: 'TextChamp',
          id: `c${id}`,
          champDescriptorId: 'quand',
          label: 'Date',
          stringValue: value,
          updatedAt: '2025-04-01T10:00:00Z',
          prefilled: false,
          textValue: value,
        },
      ],
    });
    const dated = { ...node, champs: [{ ...node.champs[0]!, rows: [line('1', null), line('2', ' 30/04/2025 '), line('3', 'mai 2025')] }] };
    const { mapping } = resolveMapping({ 'candidat.date_fin_internat': { repetition: 'bloc', champ: 'quand' } }, [
      {
        id: 'bloc',
        label: 'Diplômes',
        type: 'Repetition',
        required: false,
        children: [{ id: 'quand', label: 'Date', type: 'Text', required: false }],
      },
    ]);
    const f = fieldOf(buildCandidature(storedNode(dated), { programme: 'aumg' }, mapping), 'candidat.date_fin_internat');
    expect(f).toMatchObject({ status: 'rempli', raw: ' 30/04/2025  ; mai 2025', values: [' 30/04/2025 ', 'mai 2025'] });
    // Typed readings are computed when first read: the same whichever is read first.
    expect([f.value, f.date, f.text, f.number, f.boolean]).toEqual(['2025-04-30', '2025-04-30', '30/04/2025', null, null]);
  });

  it('a block without rows is empty', () => {
    const { mapping } = resolveMapping({ 'piece.diplomes': { repetition: 'bloc', champ: 'fichier' } }, descriptors);
    const empty = { ...node, champs: [{ ...node.champs[0]!, rows: [] }] };
    expect(fieldOf(buildCandidature(storedNode(empty), { programme: 'asap' }, mapping), 'piece.diplomes').status).toBe('vide');
  });
});

describe('buildCandidature: the node validated at the boundary', () => {
  it.each([
    ['null', null],
    ['a string', 'dossier'],
    ['missing number', { ...dossierNode({}), number: undefined }],
    ['unknown state', { ...dossierNode({}), state: 'brouillon' }],
    [
      'a text value that is a number',
      { ...dossierNode({}), champs: [{ ...dossierNode({ nom: text('Dupont') }).champs[0]!, textValue: 42 }] },
    ],
  ])('never gets %s: sync’s schema refuses it before the mirror', (_name, node) => {
    expect(() => storedNode(node)).toThrow();
  });

  it('reads dossier-level data', () => {
    const c = candidatureOf('aumg', {}, { number: 42, state: 'en_instruction', dateDepot: '2025-04-01T10:00:00Z' });
    expect(c).toMatchObject({
      dossierNumber: 42,
      state: 'en_instruction',
      dateDepot: '2025-04-01T10:00:00Z',
      demarcheNumber: 12345,
      groupe: { number: 1, label: 'défaut' },
    });
  });
});
