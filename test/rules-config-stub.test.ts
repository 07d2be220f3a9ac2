import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../src/config/file.ts';
import { buildConfigStub, CLOSING_DATE_PLACEHOLDER } from '../src/rules/mapping/config-stub.ts';
import { descriptorsFromRows } from '../src/rules/mapping/descriptors.ts';
import { matchAnnotations } from '../src/rules/mapping/match-annotations.ts';
import { matchLabels } from '../src/rules/mapping/match-labels.ts';
import { PROGRAMMES } from '../src/domain/programmes/index.ts';

const row = (id: string, typename: string, label: string, parent_id: string | null = null, options_json: string | null = null) => ({
  id,
  typename,
  label,
  parent_id,
  description: null,
  required: 1,
  options_json,
});

describe('descriptorsFromRows', () => {
  it('rebuilds repetition blocks and reads stored options', () => {
    const tree = descriptorsFromRows([
      row('a', 'TextChampDescriptor', 'Nom'),
      row('b', 'RepetitionChampDescriptor', 'Avis'),
      row('b1', 'PieceJustificativeChampDescriptor', 'Fichier', 'b'),
      row('c', 'DropDownListChampDescriptor', 'Zone', null, '{"options":["ZIP","QPV"],"otherOption":false}'),
      row('d', 'DropDownListChampDescriptor', 'Zone 2', null, 'pas du json'),
    ]);
    expect(tree.map((d) => [d.id, d.type, d.children?.map((c) => c.id) ?? null])).toEqual([
      ['a', 'Text', null],
      ['b', 'Repetition', ['b1']],
      ['c', 'DropDownList', null],
      ['d', 'DropDownList', null],
    ]);
    expect(tree[2]?.options).toEqual(['ZIP', 'QPV']);
    expect(tree[3]?.options).toBeNull();
    expect(tree[0]?.required).toBe(true);
  });
});

describe('matchAnnotations', () => {
  it('proposes the annotations ds-ars writes, by label and type', () => {
    const found = matchAnnotations([
      { id: 'x', label: 'Synthèse du contrôle', type: 'Textarea', required: false },
      { id: 'y', label: 'Dossier complet ?', type: 'YesNo', required: false },
      { id: 'z', label: 'Éligibilité', type: 'DropDownList', required: false },
      { id: 'w', label: 'Date du contrôle', type: 'PieceJustificative', required: false },
    ]);
    expect(Object.fromEntries(Object.entries(found).map(([k, d]) => [k, d.id]))).toEqual({ synthese: 'x', complet: 'y', eligibilite: 'z' });
  });
});

describe('buildConfigStub', () => {
  const hostile = 'Nom\ndu candidat "pressenti" # pas un commentaire\u2028🙂';
  const match = matchLabels(PROGRAMMES.aumg, [
    { id: 'id-"1"', label: hostile, type: 'Text', required: true },
    { id: 'c2', label: 'Prénom du candidat', type: 'Text', required: true },
  ]);
  const yaml = buildConfigStub({
    demarche: 9,
    programme: PROGRAMMES.aumg,
    title: 'Titre\navec saut',
    match,
    annotations: {},
    generatedOn: '2025-04-01',
  });

  it('is valid YAML and a valid configuration once the closing date is filled in', () => {
    const config = parseConfig(parse(yaml.replace(CLOSING_DATE_PLACEHOLDER, '2025-04-30')), 'stub');
    expect(config.demarches[0]?.mapping['candidat.prenom']).toBe('c2');
    expect(config.demarches[0]?.libelle).toBe('Titre\navec saut');
  });

  it('does not load until the closing date is filled in', () => {
    expect(() => parseConfig(parse(yaml), 'stub')).toThrow(/closingDate/);
  });

  it('keeps hostile labels inside one comment line', () => {
    const line = yaml.split('\n').find((l) => l.includes('Prénom du candidat'));
    // Issue #16 § 3: each proposal says why (type, score) so weak ones show at a glance.
    expect(line).toMatch(/^ {6}candidat\.prenom: "c2" {3}# « Prénom du candidat » \(Text, score \d\.\d\d\)$/);
    for (const l of yaml.split('\n')) expect(l.startsWith('du candidat')).toBe(false);
  });

  it('shows where to name the instructeur ds-ars writes as, which every write to DS needs (docs/pushback.md)', () => {
    const config = parseConfig(
      parse(yaml.replace(CLOSING_DATE_PLACEHOLDER, '2025-04-30').replace('  # instructeurEmail:', '  instructeurEmail:')),
      'stub',
    );
    expect(config.instance.instructeurEmail).toBe('prenom.nom@ars.sante.fr');
  });

  it('lists unmatched fields as commented lines', () => {
    expect(yaml).toContain('      # structure.zone: ""   # requis — Zone sous-dense de la structure de soins');
  });
});
