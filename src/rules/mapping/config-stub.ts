import type { MappingEntry } from '../../config/file.schema.ts';
import type { Programme } from '../../domain/programmes/types.ts';
import type { ChampDescriptorInfo } from './descriptors.ts';
import type { AnnotationKey } from './match-annotations.ts';
import type { LabelMatchResult } from './match-labels.ts';

export interface ConfigStubInput {
  readonly demarche: number;
  readonly programme: Programme;
  readonly title: string | null;
  readonly match: LabelMatchResult;
  readonly annotations: Partial<Record<AnnotationKey, ChampDescriptorInfo>>;
  /** When, as shown to a person: `jj/mm/aaaa hh:mm`, Paris time. */
  readonly generatedOn: string;
}

/** Marker left where the user must write the closing date; the file does not load until then. */
export const CLOSING_DATE_PLACEHOLDER = 'null # À RENSEIGNER : date de clôture incluse, AAAA-MM-JJ';

// JSON strings are valid YAML scalars and escape anything a label may hold.
const q = (s: string) => JSON.stringify(s);
// A comment must stay on one line whatever the label holds.
const comment = (s: string) => s.replace(/[\r\n\u2028\u2029]+/g, ' ').slice(0, 200);

function entry(value: MappingEntry): string {
  if (typeof value === 'string') return q(value);
  if ('label' in value) return `{ label: ${q(value.label)} }`;
  const part = (p: typeof value.champ) => (typeof p === 'string' ? q(p) : `{ label: ${q(p.label)} }`);
  const row =
    value.ligne === undefined
      ? ''
      : `, ligne: { champ: ${part(value.ligne.champ)}, valeur: ${typeof value.ligne.valeur === 'number' ? value.ligne.valeur : q(value.ligne.valeur)} }`;
  return `{ repetition: ${part(value.repetition)}, champ: ${part(value.champ)}${row} }`;
}

/**
 * A commented YAML configuration for one démarche: the proposed mapping (descriptor ids, each
 * with the form label it was matched on), what could not be matched, and session placeholders.
 */
export function buildConfigStub(input: ConfigStubInput): string {
  const { programme, match } = input;
  const lines: string[] = [
    `# Configuration générée par « ds-ars init » le ${input.generatedOn} pour la démarche ${input.demarche}${input.title ? ` (${comment(input.title)})` : ''}.`,
    `# Programme : ${programme.title} — ${programme.region}.`,
    '# Relisez la correspondance : chaque ligne rappelle le libellé du formulaire retenu ; corrigez-la si besoin.',
    '# Renseignez les paramètres de session (dates, durées, montants) avant la première utilisation.',
    '',
    'instance:',
    '  # NOM de la variable d’environnement qui contient le jeton d’API (jamais le jeton lui-même).',
    '  tokenEnv: DS_API_TOKEN',
    '  # Instructeur au nom duquel ds-ars écrit dans DS (annotations, passage en instruction, décisions) :',
    '  # son adresse e-mail DS ; il doit appartenir aux groupes instructeurs de la démarche. Obligatoire pour écrire.',
    '  # instructeurEmail: prenom.nom@ars.sante.fr',
    '',
    'demarches:',
    `  - number: ${input.demarche}`,
    `    programme: ${programme.id}`,
  ];
  if (input.title) lines.push(`    libelle: ${q(input.title.slice(0, 200))}`);
  lines.push(
    '    session:',
    `      closingDate: ${CLOSING_DATE_PLACEHOLDER}`,
    '      # Dates de prise de fonction possibles, par exemple [2025-11-01].',
    '      startDates: []',
    '      # Durées de poste possibles, en années ; sans cette ligne, celles du programme (ASR : [1, 2]).',
    '      # durationsYears: [1, 2]',
    '      # Seuils de l’appel (zones, DES, fin d’internat, quotités) : valeurs par défaut des documents',
    '      # sources, à modifier ici si l’appel en fixe d’autres (voir docs/regles.md, « Paramètres de la session »).',
    '    # Champ sémantique → identifiant du champ dans le formulaire (libellé en commentaire).',
    '    mapping:',
  );
  for (const m of match.matches) {
    // Why the proposal: the champ's type and score, so a reviewer sees weak ones at a glance.
    lines.push(`      ${m.field}: ${entry(match.mapping[m.field]!)}   # « ${comment(m.label)} » (${m.type}, score ${m.score.toFixed(2)})`);
  }
  if (match.ties.length > 0) {
    lines.push('      # Ex aequo, non proposés (choisissez à la main) :');
    for (const t of match.ties) {
      lines.push(`      # ${t.field}: ""   # ${t.candidates.map((c) => `${c.descriptorId} « ${comment(c.label)} »`).join(' ou ')}`);
    }
  }
  if (match.unmatched.length > 0) {
    lines.push('      # Non trouvés dans le formulaire (à ajouter à la main s’ils existent sous un autre libellé) :');
    for (const u of match.unmatched) lines.push(`      # ${u.field}: ""   # ${u.required ? 'requis' : 'facultatif'} — ${comment(u.label)}`);
  }
  const annotationKeys = Object.entries(input.annotations) as Array<[AnnotationKey, ChampDescriptorInfo]>;
  lines.push('    # Annotations privées où ds-ars écrit le résultat du contrôle.');
  if (annotationKeys.length === 0) lines.push('    annotations: {}');
  else {
    lines.push('    annotations:');
    for (const [key, d] of annotationKeys) lines.push(`      ${key}: ${q(d.id)}   # « ${comment(d.label)} »`);
  }
  return `${lines.join('\n')}\n`;
}
