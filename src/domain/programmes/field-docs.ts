import { PROGRAMMES } from './index.ts';
import type { ProgrammeId } from './types.ts';

const KIND_LABEL: Readonly<Record<string, string>> = {
  text: 'texte',
  identifier: 'identifiant',
  date: 'date',
  number: 'nombre',
  percent: 'pourcentage',
  boolean: 'oui/non',
  choice: 'choix',
  piece: 'pièce jointe',
  siret: 'SIRET/SIREN',
};

/**
 * docs/champs.md: the semantic field keys of each programme, for users writing `mapping`.
 * Generated from the code; test/rules-field-docs.test.ts keeps the file in sync.
 */
export function fieldKeysMarkdown(): string {
  const out = [
    '# Champs sémantiques par programme',
    '',
    '<!-- Fichier généré depuis src/domain/programmes/ : ne pas modifier à la main. Pour le régénérer :',
    '     npx tsx -e "import(\'./src/domain/programmes/field-docs.ts\').then((m) => process.stdout.write(m.fieldKeysMarkdown()))" > docs/champs.md -->',
    '',
    'Clés à utiliser dans la section `mapping` d’une démarche (voir docs/regles.md). « requis » : le',
    'programme exige une valeur (contrôle `complet.champ_requis` ou `complet.piece_requise`).',
  ];
  for (const id of Object.keys(PROGRAMMES) as ProgrammeId[]) {
    const p = PROGRAMMES[id];
    out.push(
      '',
      `## ${p.title} — ${p.region} (\`${p.id}\`, seed ${p.seed})`,
      '',
      '| clé | nature | requis | libellé usuel |',
      '| --- | --- | --- | --- |',
    );
    for (const { spec, required } of p.fields)
      out.push(`| \`${spec.key}\` | ${KIND_LABEL[spec.kind] ?? spec.kind} | ${required ? 'oui' : 'non'} | ${spec.label} |`);
  }
  return `${out.join('\n')}\n`;
}
