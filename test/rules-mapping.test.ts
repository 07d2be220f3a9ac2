import { describe, expect, it } from 'vitest';
import { AppError } from '../src/errors.ts';
import type { ChampDescriptorInfo } from '../src/rules/mapping/descriptors.ts';
import { matchLabels } from '../src/rules/mapping/match-labels.ts';
import { labelTokens, normalizeLabel } from '../src/rules/mapping/normalize-label.ts';
import { resolveChampRef, resolveMapping, resolveMappingOrThrow } from '../src/rules/mapping/resolve-mapping.ts';
import { labelSimilarity } from '../src/rules/mapping/similarity.ts';
import { PROGRAMMES } from '../src/domain/programmes/index.ts';

const d = (id: string, label: string, type: string, children?: ChampDescriptorInfo[]): ChampDescriptorInfo => ({
  id,
  label,
  type,
  required: false,
  ...(children && { children }),
});

describe('normalizeLabel / labelTokens', () => {
  it.each([
    ['N° RPPS du candidat', 'n rpps du candidat', ['rpps', 'candidat']],
    ['Date d’inscription à l’Ordre', 'date d inscription a l ordre', ['date', 'inscription', 'ordre']],
    ['  ÉTABLISSEMENT   de santé ', 'etablissement de sante', ['etablissement', 'sante']],
    ['Pre\u0301nom\u200B du candidat', 'prenom du candidat', ['prenom', 'candidat']],
    ['\u202BNom\u202C 🙂', 'nom', ['nom']],
  ])('%j', (label, normalized, tokens) => {
    expect(normalizeLabel(label)).toBe(normalized);
    expect(labelTokens(label)).toEqual(tokens);
  });
});

describe('labelSimilarity', () => {
  it.each([
    ['Numéro RPPS', 'N° RPPS', 1],
    ['Prénom', 'Prenom', 1],
    ['Date de naissance', 'Date de naissance du candidat', 0.8],
  ])('%j ~ %j ≥ %s', (a, b, min) => expect(labelSimilarity(a, b)).toBeGreaterThanOrEqual(min));

  it.each([
    ['Avis du président de la CME du CHU', 'Avis du président de CME du CH', 0.9],
    ['Commentaires', 'Numéro RPPS', 0.2],
    ['', 'Numéro RPPS', 0.01],
  ])('%j ~ %j < %s', (a, b, max) => expect(labelSimilarity(a, b)).toBeLessThan(max));
});

// A form worded differently from every example in the seeds.
const AUMG_FORM: ChampDescriptorInfo[] = [
  d('h1', 'Identité du candidat pressenti', 'HeaderSection'),
  d('c1', 'NOM du médecin candidat', 'Text'),
  d('c2', 'Prénom(s)', 'Text'),
  d('c3', 'Date de naissance', 'Date'),
  d('c4', "N° d'inscription RPPS (11 chiffres)", 'Text'),
  d('c5', "À défaut, date prévue d'inscription au tableau de l'Ordre", 'Date'),
  d('c6', 'DES obtenu', 'DropDownList'),
  d('c7', "Date de fin de l'internat", 'Date'),
  d('c8', 'UFR / Université de rattachement', 'Text'),
  d('c9', 'Structure de soins partenaire', 'Text'),
  d('c10', 'Zonage de la structure', 'DropDownList'),
  d('c11', 'Curriculum vitae du candidat', 'PieceJustificative'),
  d('c12', 'Lettre de motivation', 'PieceJustificative'),
  d('c13', 'Projet co-construit', 'PieceJustificative'),
  d('c14', "Lettre d'engagement signée des 3 partenaires", 'PieceJustificative'),
  d('c15', 'Présentation du DUMG (modèle à compléter)', 'PieceJustificative'),
  d('c16', 'Présentation de la structure de soins (modèle)', 'PieceJustificative'),
  d('c17', 'Attestation Ordre des médecins', 'PieceJustificative'),
  d('c18', 'Commentaires', 'Textarea'),
];

describe('matchLabels', () => {
  const result = matchLabels(PROGRAMMES.aumg, AUMG_FORM);

  it.each([
    ['candidat.nom', 'c1'],
    ['candidat.prenom', 'c2'],
    ['candidat.date_naissance', 'c3'],
    ['candidat.rpps', 'c4'],
    ['candidat.date_inscription_ordre', 'c5'],
    ['candidat.specialite_des', 'c6'],
    ['candidat.date_fin_internat', 'c7'],
    ['universite.nom', 'c8'],
    ['structure.nom', 'c9'],
    ['structure.zone', 'c10'],
    ['piece.cv', 'c11'],
    ['piece.lettre_motivation', 'c12'],
    ['piece.projet', 'c13'],
    ['piece.lettre_engagement', 'c14'],
    ['piece.presentation_dumg', 'c15'],
    ['piece.presentation_structure', 'c16'],
    ['piece.attestation_ordre', 'c17'],
  ])('%s → %s', (field, id) => expect(result.mapping[field]).toBe(id));

  it('reports unmatched fields in French and leaves unrelated champs alone', () => {
    // AUMG may map a FINESS (PROGRAMMES.md id.finess « where a FINESS champ exists »); this form has none.
    expect(result.unmatched.map((u) => u.field).sort()).toEqual(['etablissement.finess', 'poste.date_prise_fonction', 'structure.siret']);
    expect(result.report.join('\n')).toContain('non trouvé : « Date de prise de fonction »');
    expect(Object.values(result.mapping)).not.toContain('c18');
    expect(Object.values(result.mapping)).not.toContain('h1');
  });

  it('uses each champ at most once', () => {
    const ids = Object.values(result.mapping);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('never maps a piece to a text champ', () => {
    const r = matchLabels(PROGRAMMES.aumg, [d('x', 'CV du candidat', 'Text')]);
    expect(r.mapping['piece.cv']).toBeUndefined();
  });

  it('maps champs of a repetition block with the block label', () => {
    const r = matchLabels(PROGRAMMES.asr, [
      d('r1', 'Avis du chef de service universitaire', 'Repetition', [
        d('r1c', 'Fichier', 'PieceJustificative'),
        d('r1s', 'Sens de l’avis', 'DropDownList'),
      ]),
    ]);
    expect(r.mapping['avis.chef_service_chu']).toEqual({ repetition: 'r1', champ: 'r1c' });
    expect(r.mapping['avis.chef_service_chu.sens']).toEqual({ repetition: 'r1', champ: 'r1s' });
  });

  it('tells CHU from CH avis', () => {
    const r = matchLabels(PROGRAMMES.asr, [
      d('a8', 'Avis du président de la CME du CHU', 'PieceJustificative'),
      d('a9', 'Avis du président de la CME du CH', 'PieceJustificative'),
    ]);
    expect(r.mapping['avis.president_cme_chu']).toBe('a8');
    expect(r.mapping['avis.president_cme_ch']).toBe('a9');
    expect(r.ambiguous).toEqual([]);
  });

  // Issue #16 § 3: a tie is never broken by position; the field stays unmapped, candidates listed.
  it('leaves a field unmapped when two champs tie, and lists them', () => {
    const r = matchLabels(PROGRAMMES.aumg, [d('x1', 'Numéro RPPS', 'Text'), d('x2', 'Numéro RPPS', 'Text')]);
    expect(r.mapping['candidat.rpps']).toBeUndefined();
    expect(r.ties.map((t) => [t.field, t.candidates.map((c) => c.descriptorId)])).toEqual([['candidat.rpps', ['x1', 'x2']]]);
    expect(r.report).toContain(
      'Correspondance non proposée pour « Numéro RPPS du candidat » (candidat.rpps) : ex aequo entre « Numéro RPPS » (x1) et « Numéro RPPS » (x2) ; choisissez à la main dans mapping.',
    );
  });

  it('reads « DES » as the diplôme, not the article: the DES date is not one more date field', () => {
    const r = matchLabels(PROGRAMMES.asr, [
      d('a', 'Date de naissance', 'Date'),
      d('b', 'Date de la prise de fonction', 'Date'),
      d('c', 'Date de soutenance de la thèse', 'Date'),
      d('e', 'Date d’obtention du DES', 'Date'),
    ]);
    expect(r.mapping['candidat.date_des']).toBe('e');
    expect(r.mapping['candidat.date_these']).toBe('c');
    const spelled = matchLabels(PROGRAMMES.asr, [d('e', 'Date de validation du D.E.S.', 'Date'), d('x', 'Date des congés', 'Date')]);
    expect(spelled.mapping['candidat.date_des']).toBe('e');
  });

  it('reads usual abbreviations (« Spé. », « étab. »)', () => {
    const r = matchLabels(PROGRAMMES.asap, [d('s', 'Spé. médicale', 'DropDownList')]);
    expect(r.mapping['specialite']).toBe('s');
  });

  it('survives hostile labels', () => {
    const r = matchLabels(PROGRAMMES.aumg, [d('z', `${'🙂'.repeat(5000)}\u202E${'x'.repeat(100_000)}`, 'Text'), d('w', '', 'Text')]);
    expect(r.matches).toEqual([]);
  });
});

describe('resolveMapping', () => {
  const form = [
    d('c1', 'Nom du candidat', 'Text'),
    d('c2', 'Prénom', 'Text'),
    d('c3', 'Prénom', 'Text'),
    d('b1', 'Diplômes', 'Repetition', [d('b1c', 'Copie du diplôme', 'PieceJustificative')]),
  ];

  it('resolves ids, labels (normalised) and repetition champs', () => {
    const { mapping, problems } = resolveMapping(
      {
        'candidat.rpps': 'c1',
        'candidat.nom': { label: '  NOM DU CANDIDAT ' },
        'piece.diplomes': { repetition: { label: 'Diplômes' }, champ: 'b1c' },
      },
      form,
    );
    expect(problems).toEqual([]);
    expect(mapping.fields.get('candidat.nom')).toMatchObject({ descriptorId: 'c1', repetitionId: null, type: 'Text' });
    expect(mapping.fields.get('piece.diplomes')).toMatchObject({
      descriptorId: 'b1c',
      repetitionId: 'b1',
      label: 'Diplômes › Copie du diplôme',
    });
    expect(mapping.descriptors.has('b1c')).toBe(true);
  });

  it.each([
    ['unknown id', { 'candidat.nom': 'nope' }, /identifiant de champ « nope » introuvable/],
    ['unknown label with suggestion', { 'candidat.nom': { label: 'Nom du candida' } }, /vouliez-vous dire « Nom du candidat »/],
    ['ambiguous label', { 'candidat.prenom': { label: 'Prénom' } }, /ambigu.*c2, c3/],
    ['unknown repetition block', { 'piece.diplomes': { repetition: 'zz', champ: 'b1c' } }, /parmi les blocs répétables/],
    ['champ not in the block', { 'piece.diplomes': { repetition: 'b1', champ: 'c1' } }, /dans le bloc « Diplômes »/],
  ] as const)('%s', (_name, mapping, message) => {
    const { problems } = resolveMapping(mapping, form);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(message);
  });

  it('lists every problem in one AppError(config)', () => {
    try {
      resolveMappingOrThrow(12345, { 'candidat.nom': 'nope', 'candidat.prenom': { label: 'Prénom' } }, form);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('config');
      expect((error as AppError).message).toContain('mapping["candidat.nom"]');
      expect((error as AppError).message).toContain('mapping["candidat.prenom"]');
    }
  });

  it('resolves an annotation reference', () => {
    const annotations = [d('a1', 'Contrôle automatique – synthèse', 'Textarea')];
    expect(resolveChampRef({ label: 'Contrôle automatique - synthèse' }, annotations)).toMatchObject({ id: 'a1' });
    expect(resolveChampRef('zz', annotations)).toMatch(/introuvable/);
  });
});

describe('matchLabels: identifiers are not names (issue #16 § 3)', () => {
  const d = (id: string, label: string, type: string) => ({ id, label, type, required: true });

  it('never proposes a champ inside a parcours block about an establishment for the FINESS key', () => {
    const r = matchLabels(PROGRAMMES.aumg, [
      { ...d('r', "Parcours du candidat (stages d'internat)", 'Repetition'), children: [d('rc', 'Service et établissement', 'Text')] },
    ]);
    expect(r.mapping['etablissement.finess']).toBeUndefined();
  });

  it('never proposes a FINESS champ for a name key, and proposes it for the FINESS key', () => {
    const r = matchLabels(PROGRAMMES.asp, [d('f', 'N° FINESS de l’établissement partenaire', 'Text')]);
    expect(r.mapping['structure.nom']).toBeUndefined();
    expect(r.mapping['etablissement.nom']).toBeUndefined();
    expect(r.mapping['etablissement.finess']).toBe('f');
  });

  it('never proposes a SIRET champ for the FINESS key', () => {
    const r = matchLabels(PROGRAMMES.asap, [d('s', 'Numéro SIRET de l’établissement', 'Text')]);
    expect(r.mapping['etablissement.finess']).toBeUndefined();
    expect(r.mapping['structure.siret']).toBe('s');
  });
});

describe('matchLabels: whose value a champ holds (issue #16 § 3)', () => {
  const d = (id: string, label: string, type: string) => ({ id, label, type, required: true });

  it('never proposes a champ of a repetition block for a key of the whole dossier', () => {
    const r = matchLabels(PROGRAMMES.aumg, [
      { ...d('r', 'Encadrants du projet', 'Repetition'), children: [d('rn', 'Nom', 'Text'), d('rp', 'Prénom', 'Text')] },
    ]);
    expect(r.mapping['candidat.nom']).toBeUndefined();
    expect(r.mapping['candidat.prenom']).toBeUndefined();
  });

  it('never proposes the name of a referent or a tutor for the candidate', () => {
    const r = matchLabels(PROGRAMMES.aumg, [
      d('t', 'Nom du tuteur', 'Text'),
      d('f', 'Nom du référent universitaire', 'Text'),
      d('n', 'Nom du candidat', 'Text'),
    ]);
    expect(r.mapping['candidat.nom']).toBe('n');
    const only = matchLabels(PROGRAMMES.aumg, [d('t', 'Nom du tuteur', 'Text')]);
    expect(only.mapping['candidat.nom']).toBeUndefined();
  });
});
