import type { MappingEntry } from '../../config/file.schema.ts';
import type { FieldSpec, Programme } from '../../domain/programmes/types.ts';
import { type ChampDescriptorInfo, isLayoutType } from './descriptors.ts';
import { normalizeLabel } from './normalize-label.ts';
import { labelSimilarity } from './similarity.ts';
import { typeCompatibility } from './type-compatibility.ts';

/** Below this similarity a label is not proposed at all. */
export const MATCH_THRESHOLD = 0.62;
/** Two candidates closer than this are reported as ambiguous. */
const AMBIGUITY_MARGIN = 0.05;
const TYPE_BONUS = 0.05;

export interface LabelCandidate {
  readonly descriptorId: string;
  readonly repetitionId: string | null;
  readonly label: string;
  readonly type: string;
  readonly score: number;
}

export interface LabelMatch extends LabelCandidate {
  readonly field: string;
}

export interface LabelMatchResult {
  /** Proposed configuration mapping (descriptor ids), ready for the config file. */
  readonly mapping: Record<string, MappingEntry>;
  readonly matches: readonly LabelMatch[];
  readonly unmatched: ReadonlyArray<{ field: string; label: string; required: boolean }>;
  readonly ambiguous: ReadonlyArray<{ field: string; label: string; candidates: readonly LabelCandidate[] }>;
  /** Fields left unmapped because two champs score exactly the same: never settled by position. */
  readonly ties: ReadonlyArray<{ field: string; label: string; candidates: readonly LabelCandidate[] }>;
  /** French lines for the user: what could not be matched, what must be checked. */
  readonly report: readonly string[];
}

interface FlatDescriptor {
  descriptor: ChampDescriptorInfo;
  repetition: ChampDescriptorInfo | null;
}

function flatten(descriptors: readonly ChampDescriptorInfo[]): FlatDescriptor[] {
  const out: FlatDescriptor[] = [];
  for (const d of descriptors) {
    if (d.type === 'Repetition') {
      for (const child of d.children ?? []) out.push({ descriptor: child, repetition: d });
    } else out.push({ descriptor: d, repetition: null });
  }
  return out.filter((f) => !isLayoutType(f.descriptor.type));
}

// The identifiers a label may name: a champ naming one holds that code, never a name or free text.
const IDENTIFIERS: ReadonlyArray<[string, RegExp]> = [['finess', /\bfiness\b/], ['siret', /\bsir(et|en)\b/], ['rpps', /\brpps\b/]];

function identifierNamed(label: string): string | null {
  const text = normalizeLabel(label);
  return IDENTIFIERS.find(([, pattern]) => pattern.test(text))?.[0] ?? null;
}

/**
 * An identifier key (FINESS, SIRET, RPPS) is proposed only a champ naming that identifier; a name
 * or free-text key never a champ naming an identifier (an establishment's FINESS is not its name).
 */
function identifierClash(spec: FieldSpec, label: string): boolean {
  const champ = identifierNamed(label);
  if (spec.kind === 'identifier' || spec.kind === 'siret') return champ !== identifierNamed(spec.label);
  return (spec.kind === 'text' || spec.kind === 'choice') && champ !== null;
}

// Keys that hold one value for the whole dossier: never read from a row of a repetition block.
const DOSSIER_KEYS = /^(candidat|structure|etablissement|universite|poste|rgpd|justification)\.|^(specialite|subdivision|ordre_priorite)$/;
// Another person than the candidate: a referent's or a tutor's name is not the candidate's.
const OTHER_PERSON = /\b(referent|referente|tuteur|tutrice|maitre de stage|coordonnateur|coordinateur|directeur|directrice|chef|responsable|president|signataire)\b/;

function score(spec: FieldSpec, flat: FlatDescriptor): number | null {
  const compatibility = typeCompatibility(spec.kind, flat.descriptor.type);
  if (compatibility === 'impossible') return null;
  if (identifierClash(spec, flat.descriptor.label)) return null;
  if (flat.repetition && DOSSIER_KEYS.test(spec.key)) return null;
  if (spec.key.startsWith('candidat.') && OTHER_PERSON.test(normalizeLabel(flat.descriptor.label))) return null;
  let best = 0;
  for (const wording of spec.synonyms) best = Math.max(best, labelSimilarity(flat.descriptor.label, wording));
  // Inside a repetition, the block's label often carries the meaning ("Avis du CHU" › "Fichier").
  if (flat.repetition) {
    for (const wording of spec.synonyms) {
      best = Math.max(best, 0.95 * labelSimilarity(`${flat.repetition.label} ${flat.descriptor.label}`, wording));
    }
  }
  return best + (compatibility === 'good' ? TYPE_BONUS : 0);
}

/**
 * Proposes a mapping of a programme's semantic fields to the champs of a form by comparing labels
 * with the known French wordings. One champ per field and one field per champ, best scores first.
 * Never trusted blindly: `init` writes the proposal for a human to review.
 */
export function matchLabels(programme: Programme, descriptors: readonly ChampDescriptorInfo[]): LabelMatchResult {
  const flats = flatten(descriptors);
  const candidatesByField = new Map<string, LabelCandidate[]>();
  const pairs: LabelMatch[] = [];
  for (const { spec } of programme.fields) {
    const candidates: LabelCandidate[] = [];
    for (const flat of flats) {
      const s = score(spec, flat);
      if (s === null || s < MATCH_THRESHOLD) continue;
      candidates.push({
        descriptorId: flat.descriptor.id,
        repetitionId: flat.repetition?.id ?? null,
        label: flat.repetition ? `${flat.repetition.label} › ${flat.descriptor.label}` : flat.descriptor.label,
        type: flat.descriptor.type,
        score: Math.round(s * 1000) / 1000,
      });
    }
    candidates.sort((a, b) => b.score - a.score);
    candidatesByField.set(spec.key, candidates);
    for (const c of candidates) pairs.push({ ...c, field: spec.key });
  }

  const fieldOrder = new Map(programme.fields.map((f, i) => [f.spec.key, i]));
  pairs.sort((a, b) => b.score - a.score || fieldOrder.get(a.field)! - fieldOrder.get(b.field)!);
  const takenFields = new Set<string>();
  const takenChamps = new Set<string>();
  const matches: LabelMatch[] = [];
  const ties: Array<{ field: string; label: string; candidates: LabelCandidate[] }> = [];
  for (const pair of pairs) {
    if (takenFields.has(pair.field) || takenChamps.has(pair.descriptorId)) continue;
    const rivals = (candidatesByField.get(pair.field) ?? []).filter(
      (c) => c.descriptorId !== pair.descriptorId && c.score === pair.score && !takenChamps.has(c.descriptorId),
    );
    if (rivals.length > 0) {
      // A tie is left to a human: the first champ in form order is as likely wrong as right.
      takenFields.add(pair.field);
      const spec = programme.fields.find((f) => f.spec.key === pair.field)!.spec;
      ties.push({ field: pair.field, label: spec.label, candidates: [pair, ...rivals] });
      continue;
    }
    takenFields.add(pair.field);
    takenChamps.add(pair.descriptorId);
    matches.push(pair);
  }
  matches.sort((a, b) => fieldOrder.get(a.field)! - fieldOrder.get(b.field)!);

  const mapping: Record<string, MappingEntry> = {};
  for (const m of matches) {
    mapping[m.field] = m.repetitionId ? { repetition: m.repetitionId, champ: m.descriptorId } : m.descriptorId;
  }

  const tied = new Set(ties.map((t) => t.field));
  const unmatched = programme.fields
    .filter((f) => !takenFields.has(f.spec.key) && !tied.has(f.spec.key))
    .map((f) => ({ field: f.spec.key, label: f.spec.label, required: f.required }));

  const ambiguous: Array<{ field: string; label: string; candidates: LabelCandidate[] }> = [];
  for (const m of matches) {
    const close = (candidatesByField.get(m.field) ?? []).filter(
      (c) => c.descriptorId !== m.descriptorId && m.score - c.score <= AMBIGUITY_MARGIN,
    );
    if (close.length > 0) {
      const spec = programme.fields.find((f) => f.spec.key === m.field)!.spec;
      ambiguous.push({ field: m.field, label: spec.label, candidates: [m, ...close] });
    }
  }

  const report: string[] = [];
  for (const u of unmatched) {
    report.push(
      `${u.required ? 'Champ requis' : 'Champ facultatif'} non trouvé : « ${u.label} » (${u.field}) — à renseigner à la main dans mapping, ou absent de ce formulaire.`,
    );
  }
  for (const t of ties) {
    report.push(
      `Correspondance non proposée pour « ${t.label} » (${t.field}) : ex aequo entre ${t.candidates.map((c) => `« ${c.label} » (${c.descriptorId})`).join(' et ')} ; choisissez à la main dans mapping.`,
    );
  }
  for (const a of ambiguous) {
    report.push(
      `Correspondance à vérifier pour « ${a.label} » (${a.field}) : ${a.candidates.map((c) => `« ${c.label} » (${c.descriptorId})`).join(' ou ')}.`,
    );
  }
  return { mapping, matches, unmatched, ambiguous, ties, report };
}
