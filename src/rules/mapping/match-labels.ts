import type { MappingEntry } from '../../config/file.schema.ts';
import type { FieldSpec, Programme } from '../../domain/programmes/types.ts';
import { type ChampDescriptorInfo, isLayoutType } from './descriptors.ts';
import { labelTokens, normalizeLabel } from './normalize-label.ts';
import { containment, labelSimilarity } from './similarity.ts';
import { typeCompatibility } from './type-compatibility.ts';

/** Below this similarity a label is not proposed at all. */
export const MATCH_THRESHOLD = 0.62;
/** Two candidates closer than this are reported as ambiguous. */
const AMBIGUITY_MARGIN = 0.05;
const TYPE_BONUS = 0.05;
/** A short label read with its section title counts a little less than a label that says it all. */
const SECTION_WEIGHT = 0.9;

export interface LabelCandidate {
  readonly descriptorId: string;
  readonly repetitionId: string | null;
  /** For a per-year key read from a repetition block: the cell naming the year and the year. */
  readonly row?: { readonly descriptorId: string; readonly label: string; readonly value: number };
  readonly label: string;
  readonly type: string;
  readonly score: number;
}

/** A candidate with how its label relates to the field's wordings (not part of the result). */
interface ScoredCandidate extends LabelCandidate {
  /** The label's words are all in one of the field's wordings: it says nothing the field does not. */
  readonly vague: boolean;
  /** One of the field's wordings is wholly in the label: it says all the field says. */
  readonly precise: boolean;
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
  /** Label of the section title (HeaderSection) the champ sits under, if any. */
  section: string | null;
}

function flatten(descriptors: readonly ChampDescriptorInfo[]): FlatDescriptor[] {
  const out: FlatDescriptor[] = [];
  let section: string | null = null;
  for (const d of descriptors) {
    if (d.type === 'HeaderSection') section = d.label;
    if (d.type === 'Repetition') {
      for (const child of d.children ?? []) out.push({ descriptor: child, repetition: d, section });
    } else out.push({ descriptor: d, repetition: null, section });
  }
  return out.filter((f) => !isLayoutType(f.descriptor.type));
}

/**
 * Under a section titled for another person (« Référent de l’établissement », « Identité du
 * tuteur »), « Nom » and « Prénom » are that person's: never the candidate's, nor the
 * establishment's name; only keys naming that role (its avis) may come from there.
 */
function otherPersonSection(spec: FieldSpec, section: string | null): boolean {
  if (section === null || /\bcandidate?s?\b/.test(normalizeLabel(section))) return false;
  return otherPersonClash(spec, section);
}

// A section titled for a thing (« Structure de soins partenaire », « Établissement hospitalier ») and not
// for the candidate: the « Nom », « N° RPPS » or « Date de naissance » under it are that thing's or its staff's.
const ENTITY_SECTION =
  /\b(structures?|etablissements?|universite|ufr|dumg|chu|ch|centre hospitalier|centre de sante|maison de sante|msp|cds|cabinet|service|pole|partenaires?|employeur|recruteur)\b/;
// The person recruited, however a title names him (« Médecin recruté par l’établissement », « Assistant pressenti »).
const RECRUIT = /\b(candidate?s?|assistante?s?|internes?|docteur junior|recrutee?s?|pressentie?s?)\b/;
// The candidate's identity: the keys a section about an establishment or a structure may also word (its own name, its doctor's RPPS).
const IDENTITY_KEYS = new Set([
  'candidat.nom',
  'candidat.prenom',
  'candidat.date_naissance',
  'candidat.rpps',
  'candidat.date_inscription_ordre',
]);

function entitySection(spec: FieldSpec, section: string | null): boolean {
  if (section === null || !IDENTITY_KEYS.has(spec.key)) return false;
  const text = normalizeLabel(section);
  return !RECRUIT.test(text) && ENTITY_SECTION.test(text);
}

/**
 * A label of one or two words (« Nom », « Dénomination », « SIRET ») says what it is only with the
 * section title it sits under (« Structure de soins » › « Dénomination »): read together, as a
 * repetition block's label is read with its champs.
 */
function sectionContext(flat: FlatDescriptor): string | null {
  if (flat.repetition !== null || flat.section === null || labelTokens(flat.descriptor.label).length > 2) return null;
  return `${flat.section} ${flat.descriptor.label}`;
}

// The identifiers a label may name: a champ naming one holds that code, never a name or free text.
const IDENTIFIERS: ReadonlyArray<[string, RegExp]> = [
  ['finess', /\bfiness\b/],
  ['siret', /\bsir(et|en)\b/],
  ['rpps', /\brpps\b/],
];

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
const OTHER_PERSON =
  /\b(referent|referente|tuteur|tutrice|maitre de stage|coordonnateur|coordinateur|directeur|directrice|chef|responsable|president|signataire|conjoint|conjointe|epoux|epouse|enfants?|pere|mere)\b/;
const ROLE_WORDS = new RegExp(OTHER_PERSON.source, 'g');
// Feminine and spelling variants name the same role.
const ROLE_OF: Readonly<Record<string, string>> = {
  referente: 'referent',
  tutrice: 'tuteur',
  coordinateur: 'coordonnateur',
  directrice: 'directeur',
  conjointe: 'conjoint',
  epoux: 'conjoint',
  epouse: 'conjoint',
  enfants: 'enfant',
};
// A champ holding a person's name: « Prénom… », « Nom et prénom… », « Nom d’usage », « Nom du
// coordonnateur » (a role); not « Nom de la spécialité », which names a thing.
const PERSON_NAME = /^prenoms?\b|^noms?\b.*\bprenoms?\b|^noms?(?: (?:de naissance|d usage|de famille|patronymique))?$/;

function namesAPerson(label: string): boolean {
  const text = normalizeLabel(label);
  return PERSON_NAME.test(text) || (/^noms?\b/.test(text) && rolesOf(label).size > 0);
}

function rolesOf(text: string): Set<string> {
  return new Set([...normalizeLabel(text).matchAll(ROLE_WORDS)].map((m) => ROLE_OF[m[1]!] ?? m[1]!));
}

/**
 * A champ about another person (« Nom du directeur de l’établissement », « Spécialité du chef de
 * service ») fits only a key whose own wordings name that role (« Avis du directeur du CHU »): the
 * director's name is not the establishment's name, the chef de service's specialty not the post's.
 */
function otherPersonClash(spec: FieldSpec, label: string): boolean {
  const roles = rolesOf(label);
  if (roles.size === 0) return false;
  if (spec.key.startsWith('candidat.')) return true;
  const known = new Set(spec.synonyms.flatMap((w) => [...rolesOf(w)]));
  return [...roles].some((r) => !known.has(r));
}

// A champ about a property of a thing (« Adresse de la structure », « Téléphone de l’établissement », « Type de
// structure ») is not the thing's name, however much of the name's wording it repeats.
const PROPERTY_HEAD =
  /^(?:adresses?|telephone|tel|courriel|mail|e mail|email|commune|ville|code postal|departement|region|types?|categorie|statut|specialites?|activites?|presentation|description|zone|zonage|dates?|nombre|effectifs?|horaires|coordonnees|site|siret|siren|finess)\b/;

function propertyOfAThing(spec: FieldSpec, label: string): boolean {
  return spec.kind === 'text' && /\.nom$/.test(spec.key) && PROPERTY_HEAD.test(normalizeLabel(label));
}

// Words that make a date the opposite one: the start of the internship is not its end.
const OPPOSITES: ReadonlyArray<readonly [string, string]> = [
  ['debut', 'fin'],
  ['entree', 'sortie'],
];

/** The label says one end of a period (« début ») where every wording of the key says the other (« fin »). */
function oppositeEnd(spec: FieldSpec, label: string): boolean {
  const said = new Set(labelTokens(label));
  const wordings = spec.synonyms.map((w) => new Set(labelTokens(w)));
  return OPPOSITES.some(
    ([a, b]) =>
      (said.has(a) && !said.has(b) && wordings.some((w) => w.has(b)) && !wordings.some((w) => w.has(a))) ||
      (said.has(b) && !said.has(a) && wordings.some((w) => w.has(a)) && !wordings.some((w) => w.has(b))),
  );
}

// Per-year keys (quotite.chu.annee2…) and the year they stand for.
const PER_YEAR = /\.annee(\d+)$/;
// Year wording in a programme's synonyms, dropped when the year is the row's (« Temps au CHU année 2 »).
const YEAR_WORDS = /\b(?:ann[ée]e|an)\s*\d+\b|[–-]\s*$/giu;

function yearOfKey(key: string): number | null {
  const m = PER_YEAR.exec(key);
  return m ? Number(m[1]) : null;
}

/**
 * The child of a repetition block that says which year a row is (« Année », « Année de
 * fonctions », « Année d’exercice »…): exactly one child whose label starts with « année », not a
 * file; null otherwise (then no per-year key is proposed from the block: never by position).
 */
function yearCellOf(block: ChampDescriptorInfo): ChampDescriptorInfo | null {
  const cells = (block.children ?? []).filter(
    (c) => !isLayoutType(c.type) && c.type !== 'PieceJustificative' && /^(?:annee|periode)\b/.test(normalizeLabel(c.label)),
  );
  return cells.length === 1 ? cells[0]! : null;
}

function score(spec: FieldSpec, flat: FlatDescriptor): number | null {
  const year = yearOfKey(spec.key);
  if (year !== null && flat.repetition) {
    // One row per year: the block must say which row is which, and the year cell holds no share.
    const cell = yearCellOf(flat.repetition);
    if (cell === null || cell.id === flat.descriptor.id) return null;
    return scoreWith(
      spec,
      flat,
      [spec.label, ...spec.synonyms].map((w) => w.replace(YEAR_WORDS, ' ').trim()),
    );
  }
  return scoreWith(spec, flat, spec.synonyms);
}

function scoreWith(spec: FieldSpec, flat: FlatDescriptor, synonyms: readonly string[]): number | null {
  const compatibility = typeCompatibility(spec.kind, flat.descriptor.type);
  if (compatibility === 'impossible') return null;
  if (identifierClash(spec, flat.descriptor.label)) return null;
  if (flat.repetition && DOSSIER_KEYS.test(spec.key)) return null;
  if (otherPersonClash(spec, flat.descriptor.label) || otherPersonSection(spec, flat.section) || entitySection(spec, flat.section))
    return null;
  if (propertyOfAThing(spec, flat.descriptor.label) || oppositeEnd(spec, flat.descriptor.label)) return null;
  // A person's name is free text: never the sense of an avis, a zone or a date (« Nom du coordonnateur »).
  if (spec.kind !== 'text' && namesAPerson(flat.descriptor.label)) return null;
  let best = 0;
  for (const wording of synonyms) best = Math.max(best, labelSimilarity(flat.descriptor.label, wording));
  const context = sectionContext(flat);
  // Only where the section completes a wording (« Thèse » › « Date »): a title that every key of a kind shares
  // (« Candidat » › « Date ») would turn a vague label into a guess.
  if (context !== null) {
    for (const wording of synonyms) {
      if (containment(context, wording).wordingInLabel) best = Math.max(best, SECTION_WEIGHT * labelSimilarity(context, wording));
    }
  }
  // Inside a repetition, the block's label often carries the meaning ("Avis du CHU" › "Fichier").
  if (flat.repetition) {
    for (const wording of synonyms) {
      best = Math.max(best, 0.95 * labelSimilarity(`${flat.repetition.label} ${flat.descriptor.label}`, wording));
    }
  }
  return best + (compatibility === 'good' ? TYPE_BONUS : 0);
}

/** One champ per field: a champ of a per-year row counts once per year (the year-1 and year-2 rows). */
const champKey = (c: LabelCandidate) => (c.row ? `${c.descriptorId}#${c.row.value}` : c.descriptorId);

/**
 * Proposes a mapping of a programme's semantic fields to the champs of a form by comparing labels
 * with the known French wordings. One champ per field and one field per champ, best scores first.
 * Never trusted blindly: `init` writes the proposal for a human to review.
 */
export function matchLabels(programme: Programme, descriptors: readonly ChampDescriptorInfo[]): LabelMatchResult {
  const flats = flatten(descriptors);
  const candidatesByField = new Map<string, ScoredCandidate[]>();
  const pairs: Array<LabelMatch & ScoredCandidate> = [];
  // Blocks whose champs look like per-year keys but that have no cell naming the year: said in the report.
  const blocksWithoutYear = new Map<string, Set<string>>();
  for (const { spec } of programme.fields) {
    const candidates: ScoredCandidate[] = [];
    for (const flat of flats) {
      if (flat.repetition && yearOfKey(spec.key) !== null && yearCellOf(flat.repetition) === null) {
        const yearless = [spec.label, ...spec.synonyms].map((w) => w.replace(YEAR_WORDS, ' ').trim());
        const would = scoreWith(spec, flat, yearless);
        if (would !== null && would >= MATCH_THRESHOLD) {
          const keys = blocksWithoutYear.get(flat.repetition.label) ?? new Set<string>();
          keys.add(spec.key);
          blocksWithoutYear.set(flat.repetition.label, keys);
        }
      }
      const s = score(spec, flat);
      if (s === null || s < MATCH_THRESHOLD) continue;
      const year = flat.repetition ? yearOfKey(spec.key) : null;
      const cell = year !== null && flat.repetition ? yearCellOf(flat.repetition) : null;
      const row = cell !== null && year !== null ? { descriptorId: cell.id, label: cell.label, value: year } : undefined;
      const wordings = year !== null ? [spec.label, ...spec.synonyms].map((w) => w.replace(YEAR_WORDS, ' ').trim()) : spec.synonyms;
      // Inside a repetition, the block's label is part of what the champ says (« Avis du CHU › Sens »).
      const said = flat.repetition ? `${flat.repetition.label} ${flat.descriptor.label}` : (sectionContext(flat) ?? flat.descriptor.label);
      const contained = wordings.map((w) => containment(said, w));
      candidates.push({
        vague: contained.some((c) => c.labelInWording),
        precise: contained.some((c) => c.wordingInLabel),
        descriptorId: flat.descriptor.id,
        repetitionId: flat.repetition?.id ?? null,
        ...(row ? { row } : {}),
        label: flat.repetition
          ? `${flat.repetition.label} › ${flat.descriptor.label}${row ? ` (ligne « ${row.label} » = ${row.value})` : ''}`
          : flat.descriptor.label,
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
  // Champs that fit two fields equally well (« Avis du chef de service » for the CHU's and the CH's): field → the champs.
  const champTies = new Map<string, { champs: LabelCandidate[]; fields: Set<string> }>();
  for (const pair of pairs) {
    if (takenFields.has(pair.field) || takenChamps.has(champKey(pair))) continue;
    // A vague label (« Avis du directeur ») contained in two fields' wordings (« … du CHU », « … du CH »)
    // fits both, whatever the scores say: the one-letter difference is the field's, not the label's.
    const vagueFor = (p: ScoredCandidate) => p.vague && !p.precise;
    const otherFields = pairs.filter(
      (p) =>
        champKey(p) === champKey(pair) &&
        p.field !== pair.field &&
        !takenFields.has(p.field) &&
        (p.score === pair.score || (vagueFor(p) && vagueFor(pair))),
    );
    if (otherFields.length > 0) {
      // Proposed for none: the field order would choose, and a wrong proposal is worse than none.
      takenChamps.add(champKey(pair));
      const fields = [pair.field, ...otherFields.map((p) => p.field)];
      for (const field of fields) {
        const tie = champTies.get(field) ?? { champs: [], fields: new Set<string>() };
        tie.champs.push(pair);
        for (const f of fields) if (f !== field) tie.fields.add(f);
        champTies.set(field, tie);
      }
      continue;
    }
    const rivals = (candidatesByField.get(pair.field) ?? []).filter(
      (c) => champKey(c) !== champKey(pair) && c.score === pair.score && !takenChamps.has(champKey(c)),
    );
    if (rivals.length > 0) {
      // A tie is left to a human: the first champ in form order is as likely wrong as right.
      takenFields.add(pair.field);
      const spec = programme.fields.find((f) => f.spec.key === pair.field)!.spec;
      ties.push({ field: pair.field, label: spec.label, candidates: [pair, ...rivals] });
      continue;
    }
    takenFields.add(pair.field);
    takenChamps.add(champKey(pair));
    matches.push(pair);
  }
  matches.sort((a, b) => fieldOrder.get(a.field)! - fieldOrder.get(b.field)!);
  const sharedChamps: Array<{ field: string; label: string; candidates: LabelCandidate[]; others: string[] }> = [];
  for (const { spec } of programme.fields) {
    const tie = champTies.get(spec.key);
    if (tie === undefined || takenFields.has(spec.key)) continue;
    takenFields.add(spec.key);
    sharedChamps.push({ field: spec.key, label: spec.label, candidates: tie.champs, others: [...tie.fields] });
    ties.push({ field: spec.key, label: spec.label, candidates: tie.champs });
  }

  const mapping: Record<string, MappingEntry> = {};
  for (const m of matches) {
    mapping[m.field] =
      m.repetitionId === null
        ? m.descriptorId
        : m.row
          ? { repetition: m.repetitionId, champ: m.descriptorId, ligne: { champ: m.row.descriptorId, valeur: m.row.value } }
          : { repetition: m.repetitionId, champ: m.descriptorId };
  }

  const tied = new Set(ties.map((t) => t.field));
  const unmatched = programme.fields
    .filter((f) => !takenFields.has(f.spec.key) && !tied.has(f.spec.key))
    .map((f) => ({ field: f.spec.key, label: f.spec.label, required: f.required }));

  const ambiguous: Array<{ field: string; label: string; candidates: LabelCandidate[] }> = [];
  for (const m of matches) {
    const close = (candidatesByField.get(m.field) ?? []).filter(
      (c) => champKey(c) !== champKey(m) && m.score - c.score <= AMBIGUITY_MARGIN,
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
  const shared = new Set(sharedChamps.map((t) => t.field));
  for (const t of sharedChamps) {
    report.push(
      `Correspondance non proposée pour « ${t.label} » (${t.field}) : ${t.candidates.map((c) => `« ${c.label} » (${c.descriptorId})`).join(' et ')} convient autant à ${t.others.join(', ')} ; choisissez à la main dans mapping.`,
    );
  }
  for (const t of ties) {
    if (shared.has(t.field)) continue;
    report.push(
      `Correspondance non proposée pour « ${t.label} » (${t.field}) : ex aequo entre ${t.candidates.map((c) => `« ${c.label} » (${c.descriptorId})`).join(' et ')} ; choisissez à la main dans mapping.`,
    );
  }
  for (const [block, keys] of blocksWithoutYear) {
    if ([...keys].every((k) => takenFields.has(k))) continue;
    report.push(
      `Bloc répétable « ${block} » : ses champs ressemblent à ${[...keys].join(', ')}, mais aucune colonne ne dit de quelle année est chaque ligne (libellé commençant par « Année ») ; rien n’est proposé, une ligne ne se choisit jamais par sa position. Reliez-les à la main avec « ligne: { champ: …, valeur: … } » (voir docs/regles.md).`,
    );
  }
  for (const a of ambiguous) {
    report.push(
      `Correspondance à vérifier pour « ${a.label} » (${a.field}) : ${a.candidates.map((c) => `« ${c.label} » (${c.descriptorId})`).join(' ou ')}.`,
    );
  }
  return { mapping, matches, unmatched, ambiguous, ties, report };
}
