/**
 * Rail against a mapping that points nowhere: a mapped id or label found in no revision of the
 * form the mirror knows would read as "champ absent" on every dossier and poison every verdict.
 * So does a key bound to a champ that can never hold its value (a piece on a text champ, a date
 * on a file champ, a section title): the piece is « manquante » or the date empty on every
 * dossier. Such a key is a configuration error, listed with the closest labels of the form.
 */
import type { DemarcheConfig, MappingEntry } from '../../config/file.schema.ts';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { agree, plural } from '../../shared/plural.ts';
import { getDescriptorsOfEveryRevision } from '../../mirror/mirror.repository.ts';
import { fieldSpec, getProgramme, type Programme } from '../../domain/programmes/index.ts';
import type { FieldKind } from '../../domain/programmes/types.ts';
import { type ChampDescriptorInfo, descriptorsFromRows, isLayoutType } from './descriptors.ts';
import { resolveMapping } from './resolve-mapping.ts';
import { labelSimilarity } from './similarity.ts';

export interface UnreachableMappingKey {
  readonly field: string;
  /** The configured reference as the user wrote it (id, label, block › champ). */
  readonly ref: string;
  /** Up to three champs of the form, closest first: « label » (id). */
  readonly closest: readonly string[];
  /** Set when the champ exists but cannot hold the key's value: « Nom du candidat » (Text)… */
  readonly wrongType?: string;
}

/** DS champs that hold files: the only ones a piece can be read from, and never anything else. */
const FILE_TYPES = new Set(['PieceJustificative', 'TitreIdentite']);

/** Why `type` can never hold a value of `kind` (French), or undefined when it can. */
function unusableType(kind: FieldKind | undefined, type: string): string | undefined {
  if (isLayoutType(type)) return 'un titre de section ou une explication, sans valeur';
  if (type === 'Repetition') return 'un bloc répétable (désignez sa colonne : { repetition: …, champ: … })';
  if (kind === 'piece' && !FILE_TYPES.has(type)) return 'un champ qui ne contient pas de pièce jointe';
  if (kind !== undefined && kind !== 'piece' && FILE_TYPES.has(type)) return 'un champ pièce jointe, qui ne contient pas de valeur à lire';
  return undefined;
}

const CLOSEST = 3;

function describeRef(entry: MappingEntry): string {
  const one = (ref: string | { label: string }) => (typeof ref === 'string' ? `« ${ref} »` : `libellé « ${ref.label} »`);
  if (typeof entry !== 'object' || !('repetition' in entry)) return one(entry);
  const row = entry.ligne === undefined ? '' : ` (ligne où ${one(entry.ligne.champ)} vaut « ${entry.ligne.valeur} »)`;
  return `${one(entry.repetition)} › ${one(entry.champ)}${row}`;
}

function wordingsOf(field: string, entry: MappingEntry, programme: Programme): string[] {
  const spec = fieldSpec(programme, field);
  const wordings = spec ? [spec.label, ...spec.synonyms] : [field.replace(/[._]/g, ' ')];
  const refLabel = typeof entry === 'object' && 'repetition' in entry ? entry.champ : entry;
  if (typeof refLabel === 'object') wordings.push(refLabel.label);
  return wordings;
}

/** Every valued champ of every revision once (by id), repetition children named after their block. */
function champsOf(revisions: readonly (readonly ChampDescriptorInfo[])[]): Array<{ id: string; label: string; type: string }> {
  const seen = new Map<string, { id: string; label: string; type: string }>();
  for (const revision of revisions) {
    for (const d of revision) {
      if (d.type === 'Repetition') {
        for (const child of d.children ?? [])
          if (!seen.has(child.id)) seen.set(child.id, { id: child.id, label: `${d.label} › ${child.label}`, type: child.type });
      } else if (!isLayoutType(d.type) && !seen.has(d.id)) seen.set(d.id, { id: d.id, label: d.label, type: d.type });
    }
  }
  return [...seen.values()];
}

/**
 * Keys of the mapping that resolve in none of the revisions (absent id or label; an ambiguous
 * label is left to the per-field hint), or only to champs that cannot hold their value. Pure.
 */
export function unreachableMappingKeys(
  mapping: Readonly<Record<string, MappingEntry>>,
  revisions: readonly (readonly ChampDescriptorInfo[])[],
  programme: Programme,
): UnreachableMappingKey[] {
  const absentEverywhere = new Map<string, number>();
  // Per key: the revisions where it resolves, and the unusable champs it resolves to there.
  const usable = new Set<string>();
  const unusable = new Map<string, string>();
  for (const revision of revisions) {
    const { mapping: resolved, problems } = resolveMapping(mapping, revision);
    for (const p of problems) {
      if (p.kind === 'absent') absentEverywhere.set(p.field, (absentEverywhere.get(p.field) ?? 0) + 1);
    }
    for (const [field, champ] of resolved.fields) {
      const why = unusableType(fieldSpec(programme, field)?.kind, champ.type);
      if (why === undefined) usable.add(field);
      else if (!unusable.has(field)) unusable.set(field, `le champ « ${champ.label} » (${champ.type}) est ${why}`);
    }
  }
  const champs = champsOf(revisions);
  const out: UnreachableMappingKey[] = [];
  for (const [field, entry] of Object.entries(mapping)) {
    if (revisions.length === 0) continue;
    const nowhere = absentEverywhere.get(field) === revisions.length;
    const wrongType = usable.has(field) ? undefined : unusable.get(field);
    if (!nowhere && wrongType === undefined) continue;
    const wordings = wordingsOf(field, entry, programme);
    const kind = fieldSpec(programme, field)?.kind;
    const closest = champs
      .filter((c) => wrongType === undefined || unusableType(kind, c.type) === undefined)
      .map((c) => ({ c, score: Math.max(...wordings.map((w) => labelSimilarity(c.label, w))) }))
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, CLOSEST)
      .map(({ c }) => `« ${c.label} » (${c.id})`);
    out.push(
      wrongType === undefined ? { field, ref: describeRef(entry), closest } : { field, ref: describeRef(entry), closest, wrongType },
    );
  }
  return out;
}

/** The unreachable keys of a démarche's mapping against every revision in the mirror (none when never synced). */
export async function findUnreachableMapping(
  db: Db,
  demarche: Pick<DemarcheConfig, 'number' | 'programme' | 'mapping'>,
): Promise<UnreachableMappingKey[]> {
  const byRevision = await getDescriptorsOfEveryRevision(db, demarche.number, 'champ');
  const revisions = [...byRevision.values()].map((rows) => descriptorsFromRows(rows));
  return unreachableMappingKeys(demarche.mapping, revisions, getProgramme(demarche.programme));
}

/** French lines, one per bad key, for the CLI and the digest. */
export function unreachableMappingLines(keys: readonly UnreachableMappingKey[]): string[] {
  return keys.map(
    (k) =>
      `mapping["${k.field}"] = ${k.ref} : ${
        k.wrongType === undefined
          ? 'ce champ n’existe dans aucune révision du formulaire connue du miroir'
          : `${k.wrongType} : cette clé y serait vide sur chaque dossier`
      } ; ${k.closest.length > 0 ? `champs les plus proches : ${k.closest.join(', ')}` : 'aucun champ approchant'}.`,
  );
}

/** The configuration error naming every bad key; `consequence` says what was not done. */
export function unreachableMappingError(demarche: number, keys: readonly UnreachableMappingKey[], consequence: string): AppError {
  return new AppError(
    'config',
    `Correspondance des champs invalide pour la démarche ${demarche} : ${plural(keys.length, 'clé')} du mapping ${agree(keys.length, 'ne désigne', 'ne désignent')} aucun champ utilisable du formulaire.\n${unreachableMappingLines(
      keys,
    )
      .map((l) => `- ${l}`)
      .join(
        '\n',
      )}\nCorrigez la section « mapping » de la configuration (« ds-ars demarche inspect ${demarche} » liste les champs). ${consequence}`,
    { details: { demarche, fields: keys.map((k) => k.field) } },
  );
}
