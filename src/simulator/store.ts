/**
 * The simulator's state: démarches, dossiers (compact records, champ values rebuilt from the seed
 * until something edits them), deletions, labels, and the test knobs.
 */
import { AppError } from '../errors.ts';
import type {
  DeletedReason,
  ExpectedVerdict,
  FieldDef,
  FieldValue,
  FileSpec,
  InternalState,
  Message,
  Organisation,
  ProgrammeId,
  SessionParams,
  Traitement,
  Values,
} from './model.ts';
import { type FormVariant, LABELS, PROGRAMMES, VARIANTS, withPadding, type ProgrammeDef } from './programmes.ts';
import { datesFor, generateValues, organisationFor, planDemarche, type PlanEntry } from './generate.ts';
import { createRng, mixSeed, type Rng } from './prng.ts';
import { champId, decodeCursor, encodeCursor, encodeId } from './ids.ts';
import { expectedVerdictOf } from './expected-verdicts.table.ts';
import { normalisedName } from './verdict.ts';
import { DAY } from './time.ts';
import { fileIdentity, fileSummary } from './files.ts';

export interface SimDemarcheInfo {
  number: number;
  programme: ProgrammeId;
  title: string;
  session: SessionParams;
  instructeurEmails: string[];
}

export interface Instructeur {
  id: string;
  email: string;
}

export interface Groupe {
  id: string;
  number: number;
  label: string;
  instructeurs: Instructeur[];
}

export interface LabelInfo {
  id: string;
  name: string;
  color: string;
}

export interface DossierRecord {
  id: string;
  number: number;
  demarche: DemarcheRuntime;
  plan: PlanEntry;
  state: InternalState;
  organisation: Organisation;
  groupe: Groupe;
  createdAt: number;
  deposeAt: number;
  updatedAt: number;
  champsAt: number;
  annotationsAt: number;
  passageEnInstructionAt: number | null;
  traitementAt: number | null;
  motivation: string | null;
  labels: string[];
  traitements: Traitement[];
  messages: Message[];
  annotations: Values;
  /** Materialised champ values once edited; null means "rebuild from the seed". */
  values: Values | null;
  champUpdatedAt: Record<string, number>;
  pendingCorrection: boolean;
  deleted: { reason: DeletedReason; at: number } | null;
  pendingDeleted: { reason: DeletedReason; at: number } | null;
  corruptedFiles: Set<number>;
  followers: Instructeur[];
  justificatifBlobId: string | null;
}

export interface DemarcheRuntime {
  def: ProgrammeDef;
  number: number;
  id: string;
  groupes: Groupe[];
  labels: LabelInfo[];
  dossiers: DossierRecord[];
  version: number;
  sorted: { version: number; byDepose: DossierRecord[]; byUpdated: DossierRecord[] } | null;
  fieldsByKey: Map<string, FieldDef>;
  annotationsById: Map<string, FieldDef>;
}

/** Internal view of one dossier for tests (values as the simulator holds them). */
export interface DossierSnapshot {
  id: string;
  number: number;
  demarcheNumber: number;
  programme: ProgrammeId;
  scenario: string;
  state: InternalState;
  groupe: string;
  usagerEmail: string;
  dateDepot: Date;
  dateDerniereModification: Date;
  dateDerniereModificationChamps: Date;
  dateDerniereModificationAnnotations: Date;
  datePassageEnInstruction: Date | null;
  dateTraitement: Date | null;
  motivation: string | null;
  pendingCorrection: boolean;
  champs: Values;
  annotations: Values;
  files: Array<{ champDescriptorId: string; key: string; filename: string; contentType: string; corrupted: boolean }>;
  labels: string[];
  traitements: Traitement[];
  messages: Message[];
  deleted: { reason: DeletedReason; at: Date } | null;
  pendingDeleted: { reason: DeletedReason; at: Date } | null;
}

export interface EditOptions {
  /** Field key or champ descriptor id; default: a free-text champ no rule reads. */
  champ?: string;
  value?: FieldValue;
}

export interface SimulatorStore {
  getDossier(number: number): DossierSnapshot;
  listDossiers(demarcheNumber: number): DossierSnapshot[];
  editDossier(number: number, opts?: EditOptions): DossierSnapshot;
  editAnnotation(number: number, annotationDescriptorId: string, value: FieldValue): DossierSnapshot;
  deleteDossier(number: number, reason?: DeletedReason): void;
  markPendingDeletion(number: number, reason?: DeletedReason): void;
  addLabel(number: number, name: string): void;
  removeLabel(number: number, name: string): void;
  corruptFile(number: number, champDescriptorId: string): void;
  expectedVerdict(number: number): ExpectedVerdict;
  advanceClock(ms: number): void;
  now(): Date;
  /** Generates every dossier's values and file checksums now rather than on first read (benchmarks). */
  materialiseAll(): void;
}

const INSTRUCTEURS: Record<'idf' | 'normandie', string[]> = {
  idf: ['claire.moreau@ars.sante.fr', 'julien.petit@ars.sante.fr', 'nadia.benhamou@ars.sante.fr'],
  normandie: ['sophie.lecomte@ars.sante.fr', 'thomas.leroux@ars.sante.fr', 'aurelie.marie@ars.sante.fr'],
};

const NUMBER_BASE: Record<ProgrammeId, number> = {
  asp: 1_254_000,
  mgvh: 2_317_000,
  asap: 21_450_000,
  aumg: 22_873_000,
  asr: 27_604_000,
};

const PARIS_AND_INNER_RING = new Set(['75', '92', '93', '94']);
const ROUEN_SUBDIVISION = new Set(['76', '27']);

export interface StoreConfig {
  seed: number;
  programmes: ProgrammeId[];
  counts: Record<ProgrammeId, number>;
  /** Form variants served as démarches of their own after the programmes' (programmes.ts VARIANTS). */
  variants?: readonly FormVariant[];
  /** Dossiers of each variant's démarche (default: its programme's count). */
  variantCounts?: Partial<Record<FormVariant, number>>;
  champsPerDossier?: number;
  /** Keys of private annotations made required in every démarche (e.g. 'a_commentaire'): DS then refuses decisions while they are empty. */
  requiredAnnotations?: readonly string[];
  now: () => number;
}

export class SimulatorState implements SimulatorStore {
  readonly seed: number;
  readonly demarches: DemarcheRuntime[] = [];
  readonly byNumber = new Map<number, DossierRecord>();
  readonly instructeurs = new Map<string, Instructeur>();
  readonly blobs = new Map<string, { bytes: Buffer | null; filename: string; contentType: string; checksum: string; byteSize: number }>();
  private clockOffset = 0;
  private lastBump = 0;
  /** Bumped by every change a query could see (the answer cache compares it). */
  generation = 0;
  private readonly baseNow: () => number;
  readonly faultRng: Rng;
  private nextMessageId = 1;
  nextBlobId = 1;

  constructor(config: StoreConfig) {
    this.seed = config.seed;
    this.baseNow = config.now;
    this.faultRng = createRng(mixSeed(config.seed, 99));
    let groupeNumber = 1;
    const forms: Array<{ def: ProgrammeDef; count: number }> = [
      ...config.programmes.map((p) => ({ def: PROGRAMMES[p], count: config.counts[p] })),
      ...(config.variants ?? []).map((v) => ({ def: VARIANTS[v], count: config.variantCounts?.[v] ?? config.counts[VARIANTS[v].id] })),
    ];
    for (const form of forms) {
      const padded = withPadding(form.def, config.champsPerDossier);
      const required = new Set(config.requiredAnnotations ?? []);
      const def: ProgrammeDef =
        required.size === 0
          ? padded
          : { ...padded, annotations: padded.annotations.map((a) => (required.has(a.key) ? { ...a, required: true } : a)) };
      const emails = INSTRUCTEURS[def.region];
      const [all, first, second] = emails.map((e) => this.instructeur(e)) as [Instructeur, Instructeur, Instructeur];
      const groupes: Groupe[] = def.groupes.map((label, i) => ({
        id: encodeId('GroupeInstructeur', groupeNumber),
        number: groupeNumber++,
        label,
        instructeurs: i === 0 ? [all, first] : [all, second],
      }));
      const runtime: DemarcheRuntime = {
        def,
        number: def.demarcheNumber,
        id: encodeId('Procedure', def.demarcheNumber),
        groupes,
        labels: LABELS.map((l, i) => ({ id: encodeId('Label', def.demarcheNumber * 10 + i), ...l })),
        dossiers: [],
        version: 0,
        sorted: null,
        fieldsByKey: new Map(),
        annotationsById: new Map(def.annotations.map((a) => [champId(a.stableId), a])),
      };
      for (const f of def.fields) runtime.fieldsByKey.set(f.key, f);
      this.seedDossiers(runtime, form.count);
      this.demarches.push(runtime);
    }
  }

  private instructeur(email: string): Instructeur {
    let found = this.instructeurs.get(email);
    if (!found) {
      found = { id: encodeId('Instructeur', this.instructeurs.size + 1), email };
      this.instructeurs.set(email, found);
    }
    return found;
  }

  private seedDossiers(runtime: DemarcheRuntime, count: number): void {
    const { def } = runtime;
    const rng = createRng(mixSeed(this.seed, def.demarcheNumber, 6));
    const plan = planDemarche(def, count, this.seed);
    const brouillons = Math.max(2, Math.round(count / 25));
    // Extra dossiers beyond `count`: hidden brouillons, two deleted, one pending deletion.
    const extras: PlanEntry[] = [
      ...Array.from({ length: brouillons }, (_, i): PlanEntry => ({ index: count + i, scenario: 'valide', state: 'brouillon' })),
      { index: count + brouillons, scenario: 'valide', state: 'en_construction' },
      { index: count + brouillons + 1, scenario: 'valide', state: 'refuse' },
      { index: count + brouillons + 2, scenario: 'valide', state: 'en_construction' },
    ];
    let number = (def.numberBase ?? NUMBER_BASE[def.id]) + (this.seed % 1000) * 100;
    const all = [...plan, ...extras];
    // Brouillons get numbers among the others, like in DS.
    all.sort((a, b) => mixSeed(this.seed, a.index) - mixSeed(this.seed, b.index));
    for (const entry of all) {
      number += rng.int(1, 25);
      const record = this.createRecord(runtime, entry, number);
      runtime.dossiers.push(record);
      this.byNumber.set(number, record);
    }
    runtime.dossiers.sort((a, b) => a.plan.index - b.plan.index);
    const deleted = runtime.dossiers.slice(count + brouillons);
    const [d1, d2, p1] = deleted;
    if (d1) d1.deleted = { reason: 'user_request', at: d1.updatedAt + 2 * DAY };
    if (d2) d2.deleted = { reason: 'expired', at: d2.updatedAt + 30 * DAY };
    if (p1) p1.pendingDeleted = { reason: 'expired', at: p1.updatedAt + 60 * DAY };
    for (const d of runtime.dossiers) this.lastBump = Math.max(this.lastBump, d.updatedAt, d.deleted?.at ?? 0, d.pendingDeleted?.at ?? 0);
  }

  private createRecord(runtime: DemarcheRuntime, plan: PlanEntry, number: number): DossierRecord {
    const { def } = runtime;
    const dates = datesFor(def, this.seed, plan);
    const organisation = organisationFor(def, this.seed, plan.index);
    const dept = organisation.address.departmentCode;
    const firstGroupe = def.region === 'idf' ? PARIS_AND_INNER_RING.has(dept) : ROUEN_SUBDIVISION.has(dept);
    const groupe = runtime.groupes[firstGroupe ? 0 : 1] ?? (runtime.groupes[0] as Groupe);
    const agent = groupe.instructeurs[1] ?? (groupe.instructeurs[0] as Instructeur);
    const traitements: Traitement[] = [];
    if (plan.state !== 'brouillon')
      traitements.push({ event: 'depose', dateTraitement: dates.deposeAt, emailAgentTraitant: null, motivation: null });
    if (dates.passageEnInstructionAt !== null) {
      traitements.push({
        event: 'passe_en_instruction',
        dateTraitement: dates.passageEnInstructionAt,
        emailAgentTraitant: agent.email,
        motivation: null,
      });
    }
    let motivation: string | null = null;
    if (dates.traitementAt !== null) {
      const event = plan.state === 'accepte' ? 'accepte' : plan.state === 'refuse' ? 'refuse' : 'classe_sans_suite';
      motivation =
        plan.state === 'accepte'
          ? 'Avis favorable de la commission régionale.'
          : plan.state === 'refuse'
            ? 'Avis défavorable de la commission : le projet ne répond pas aux critères de l’appel à candidatures.'
            : 'Candidature retirée par l’établissement.';
      traitements.push({ event, dateTraitement: dates.traitementAt, emailAgentTraitant: agent.email, motivation });
    }
    return {
      id: encodeId('Dossier', number),
      number,
      demarche: runtime,
      plan,
      state: plan.state,
      organisation,
      groupe,
      createdAt: dates.createdAt,
      deposeAt: dates.deposeAt,
      updatedAt: dates.updatedAt,
      champsAt: dates.champsAt,
      annotationsAt: dates.createdAt,
      passageEnInstructionAt: dates.passageEnInstructionAt,
      traitementAt: dates.traitementAt,
      motivation,
      labels: plan.state === 'en_construction' && plan.index % 7 === 3 ? ['À examiner'] : [],
      traitements,
      messages: [],
      annotations: {},
      values: null,
      champUpdatedAt: {},
      pendingCorrection: false,
      deleted: null,
      pendingDeleted: null,
      corruptedFiles: new Set(),
      followers: dates.passageEnInstructionAt !== null ? [agent] : [],
      justificatifBlobId: null,
    };
  }

  // --- clock -------------------------------------------------------------------------------

  nowMs(): number {
    return this.baseNow() + this.clockOffset;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  advanceClock(ms: number): void {
    this.clockOffset += ms;
    this.generation++;
  }

  /** A modification time strictly after every earlier one, so keyset scans see every change. */
  bump(): number {
    this.generation++;
    this.lastBump = Math.max(this.nowMs(), this.lastBump + 1);
    return this.lastBump;
  }

  touch(record: DossierRecord, what: 'champs' | 'annotations' | 'state' | 'message'): number {
    const at = this.bump();
    record.updatedAt = at;
    if (what === 'champs') record.champsAt = at;
    if (what === 'annotations') record.annotationsAt = at;
    // The new date is the latest of all: move the dossier to the end instead of sorting again.
    const byUpdated = record.demarche.sorted?.byUpdated;
    const index = byUpdated ? byUpdated.indexOf(record) : -1;
    if (byUpdated && index >= 0) {
      byUpdated.splice(index, 1);
      byUpdated.push(record);
    }
    return at;
  }

  // --- lookups -----------------------------------------------------------------------------

  record(number: number): DossierRecord {
    const found = this.byNumber.get(number);
    if (!found) throw new AppError('not_found', `Dossier ${number} inconnu du simulateur`);
    return found;
  }

  demarche(number: number): DemarcheRuntime | undefined {
    return this.demarches.find((d) => d.number === number);
  }

  valuesOf(record: DossierRecord): Values {
    return record.values ?? generateValues(record.demarche.def, this.seed, record.plan).values;
  }

  private materialise(record: DossierRecord): Values {
    if (!record.values) record.values = generateValues(record.demarche.def, this.seed, record.plan).values;
    return record.values;
  }

  /**
   * Generates and keeps every dossier's values and file checksums now, as DS has them stored,
   * instead of on first read. For benchmarks: they measure the sync, not the simulator's lazy
   * generation. Costs memory (tens of MB for 10,000 dossiers).
   */
  materialiseAll(): void {
    for (const runtime of this.demarches) {
      for (const record of runtime.dossiers) {
        const values = this.materialise(record);
        for (const field of runtime.def.fields) {
          const list = values[field.key];
          if (field.kind !== 'piece_justificative' || !Array.isArray(list)) continue;
          (list as FileSpec[]).forEach((spec, i) => {
            fileSummary(spec, fileIdentity(record.number, field.stableId, i));
          });
        }
      }
    }
  }

  static isVisible(record: DossierRecord): boolean {
    return record.state !== 'brouillon' && !record.deleted && !record.pendingDeleted;
  }

  // --- pagination ----------------------------------------------------------------------------

  private sortedOf(runtime: DemarcheRuntime): { byDepose: DossierRecord[]; byUpdated: DossierRecord[] } {
    if (runtime.sorted?.version !== runtime.version) {
      const visible = runtime.dossiers.filter(SimulatorState.isVisible);
      runtime.sorted = {
        version: runtime.version,
        byDepose: [...visible].sort((a, b) => a.deposeAt - b.deposeAt || a.number - b.number),
        byUpdated: [...visible].sort((a, b) => a.updatedAt - b.updatedAt || a.number - b.number),
      };
    }
    return runtime.sorted;
  }

  dossierPage(runtime: DemarcheRuntime, args: PageArgs): Page<DossierRecord> {
    const sorted = this.sortedOf(runtime);
    const byUpdated = args.updatedSince !== undefined;
    const list = byUpdated ? sorted.byUpdated : sorted.byDepose;
    const key = byUpdated ? (d: DossierRecord) => d.updatedAt : (d: DossierRecord) => d.deposeAt;
    const since = byUpdated ? args.updatedSince : args.createdSince;
    const state = args.state;
    return paginate(
      list,
      key,
      (d) => d.number,
      args,
      (d) => (since === undefined || key(d) >= since) && (state === undefined || d.state === state),
    );
  }

  deletedPage(runtime: DemarcheRuntime, pending: boolean, args: PageArgs): Page<DossierRecord> {
    const at = (d: DossierRecord): number => (pending ? d.pendingDeleted?.at : d.deleted?.at) ?? 0;
    const list = runtime.dossiers
      .filter((d) => (pending ? d.pendingDeleted && !d.deleted : d.deleted))
      .sort((a, b) => at(a) - at(b) || a.number - b.number);
    const since = args.deletedSince;
    return paginate(
      list,
      at,
      (d) => d.number,
      args,
      (d) => since === undefined || at(d) >= since,
    );
  }

  // --- test knobs ----------------------------------------------------------------------------

  getDossier(number: number): DossierSnapshot {
    return this.snapshot(this.record(number));
  }

  listDossiers(demarcheNumber: number): DossierSnapshot[] {
    const runtime = this.demarche(demarcheNumber);
    if (!runtime) throw new AppError('not_found', `Démarche ${demarcheNumber} inconnue du simulateur`);
    return runtime.dossiers.map((d) => this.snapshot(d));
  }

  editDossier(number: number, opts: EditOptions = {}): DossierSnapshot {
    const record = this.record(number);
    const values = this.materialise(record);
    const field = this.fieldFor(record.demarche, opts.champ) ?? this.freeTextField(record.demarche);
    if (!field) throw new AppError('not_found', 'Aucun champ modifiable dans ce dossier');
    const previous = values[field.key];
    values[field.key] =
      opts.value !== undefined
        ? opts.value
        : `${typeof previous === 'string' ? previous.replace(/ \(modifié.*\)$/, '') : ''} (modifié ${this.nextMessageId++})`;
    const at = this.touch(record, 'champs');
    record.champUpdatedAt[field.key] = at;
    if (record.pendingCorrection) {
      record.pendingCorrection = false;
      for (const m of record.messages) if (m.correction && m.correction.dateResolution === null) m.correction.dateResolution = at;
      record.traitements.push({ event: 'depose_correction_usager', dateTraitement: at, emailAgentTraitant: null, motivation: null });
    }
    return this.snapshot(record);
  }

  /** Picks an en construction dossier of the démarche and edits it like an usager would. */
  editRandom(runtime: DemarcheRuntime, rng: Rng): number | null {
    const candidates = runtime.dossiers.filter((d) => SimulatorState.isVisible(d) && d.state === 'en_construction');
    if (candidates.length === 0) return null;
    const target = rng.pick(candidates);
    this.editDossier(target.number);
    return target.number;
  }

  private fieldFor(runtime: DemarcheRuntime, champ: string | undefined): FieldDef | undefined {
    if (champ === undefined) return undefined;
    const byKey = runtime.fieldsByKey.get(champ);
    if (byKey) return byKey;
    const byId = runtime.def.fields.find((f) => champId(f.stableId) === champ);
    if (!byId) throw new AppError('not_found', `Champ ${champ} inconnu dans la démarche ${runtime.number}`);
    return byId;
  }

  private freeTextField(runtime: DemarcheRuntime): FieldDef | undefined {
    const free = ['projet_partage', 'projet_medical', 'partenariat', 'projet', 'travaux'];
    const isText = (f: FieldDef | undefined): f is FieldDef => f?.kind === 'textarea';
    return free.map((k) => runtime.fieldsByKey.get(k)).find(isText) ?? runtime.def.fields.find(isText);
  }

  editAnnotation(number: number, annotationDescriptorId: string, value: FieldValue): DossierSnapshot {
    const record = this.record(number);
    const def =
      record.demarche.annotationsById.get(annotationDescriptorId) ??
      record.demarche.def.annotations.find((a) => a.key === annotationDescriptorId);
    if (!def) throw new AppError('not_found', `Annotation ${annotationDescriptorId} inconnue`);
    record.annotations[def.key] = value;
    this.touch(record, 'annotations');
    return this.snapshot(record);
  }

  deleteDossier(number: number, reason: DeletedReason = 'user_request'): void {
    const record = this.record(number);
    record.deleted = { reason, at: this.bump() };
    record.demarche.version++;
  }

  markPendingDeletion(number: number, reason: DeletedReason = 'expired'): void {
    const record = this.record(number);
    record.pendingDeleted = { reason, at: this.bump() };
    record.demarche.version++;
  }

  private label(record: DossierRecord, name: string): LabelInfo {
    const label = record.demarche.labels.find((l) => l.name === name);
    if (!label) throw new AppError('not_found', `Label « ${name} » inconnu dans la démarche ${record.demarche.number}`);
    return label;
  }

  /** DS's DossierLabel has no `touch`: labels never change dateDerniereModification. */
  addLabel(number: number, name: string): void {
    const record = this.record(number);
    this.label(record, name);
    if (!record.labels.includes(name)) record.labels.push(name);
    this.generation++;
  }

  removeLabel(number: number, name: string): void {
    const record = this.record(number);
    this.label(record, name);
    record.labels = record.labels.filter((l) => l !== name);
    this.generation++;
  }

  corruptFile(number: number, champDescriptorId: string): void {
    const record = this.record(number);
    const field = this.fieldFor(record.demarche, champDescriptorId);
    if (field?.kind !== 'piece_justificative') throw new AppError('not_found', `${champDescriptorId} n'est pas une pièce justificative`);
    record.corruptedFiles.add(field.stableId);
    this.generation++;
  }

  expectedVerdict(number: number): ExpectedVerdict {
    const record = this.record(number);
    return expectedVerdictOf(record.plan.scenario, record.demarche.def.id, this.hasLiveDuplicate(record));
  }

  /** Duplicates are computed from the live data, as the rules engine will. */
  private hasLiveDuplicate(record: DossierRecord): boolean {
    const live = (d: DossierRecord): boolean =>
      SimulatorState.isVisible(d) && (d.state === 'en_construction' || d.state === 'en_instruction' || d.state === 'accepte');
    if (!live(record)) return false;
    const mine = this.personKey(record);
    return record.demarche.dossiers.some((other) => {
      if (other === record || !live(other)) return false;
      const theirs = this.personKey(other);
      return (mine.rpps !== '' && mine.rpps === theirs.rpps) || (mine.name !== '' && mine.name === theirs.name);
    });
  }

  private personKey(record: DossierRecord): { rpps: string; name: string } {
    const v = this.valuesOf(record);
    const rpps = typeof v['rpps'] === 'string' ? v['rpps'].replace(/\s+/g, '') : '';
    const nom = typeof v['nom'] === 'string' ? v['nom'] : '';
    const prenom = typeof v['prenom'] === 'string' ? v['prenom'] : '';
    const naissance = typeof v['naissance'] === 'string' ? v['naissance'] : '';
    return {
      rpps: /^\d{11}$/.test(rpps) ? rpps : '',
      name: nom && prenom && naissance ? `${normalisedName(nom)}|${normalisedName(prenom)}|${naissance}` : '',
    };
  }

  addMessage(record: DossierRecord, message: Omit<Message, 'id'>): Message {
    const full: Message = { id: this.nextMessageId++, ...message };
    record.messages.push(full);
    return full;
  }

  snapshot(record: DossierRecord): DossierSnapshot {
    const values = this.valuesOf(record);
    const files: DossierSnapshot['files'] = [];
    for (const field of record.demarche.def.fields) {
      if (field.kind !== 'piece_justificative') continue;
      const list = values[field.key];
      if (!Array.isArray(list)) continue;
      for (const spec of list as FileSpec[]) {
        files.push({
          champDescriptorId: champId(field.stableId),
          key: field.key,
          filename: spec.filename,
          contentType: spec.contentType,
          corrupted: record.corruptedFiles.has(field.stableId),
        });
      }
    }
    const date = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));
    return {
      id: record.id,
      number: record.number,
      demarcheNumber: record.demarche.number,
      programme: record.demarche.def.id,
      scenario: record.plan.scenario,
      state: record.state,
      groupe: record.groupe.label,
      usagerEmail: record.organisation.email,
      dateDepot: new Date(record.deposeAt),
      dateDerniereModification: new Date(record.updatedAt),
      dateDerniereModificationChamps: new Date(record.champsAt),
      dateDerniereModificationAnnotations: new Date(record.annotationsAt),
      datePassageEnInstruction: date(record.passageEnInstructionAt),
      dateTraitement: date(record.traitementAt),
      motivation: record.motivation,
      pendingCorrection: record.pendingCorrection,
      champs: structuredClone(values),
      annotations: structuredClone(record.annotations),
      files,
      labels: [...record.labels],
      traitements: record.traitements.map((t) => ({ ...t })),
      messages: record.messages.map((m) => ({ ...m })),
      deleted: record.deleted ? { reason: record.deleted.reason, at: new Date(record.deleted.at) } : null,
      pendingDeleted: record.pendingDeleted ? { reason: record.pendingDeleted.reason, at: new Date(record.pendingDeleted.at) } : null,
    };
  }

  info(): SimDemarcheInfo[] {
    return this.demarches.map((d) => ({
      number: d.number,
      programme: d.def.id,
      title: d.def.title,
      session: structuredClone(d.def.session),
      instructeurEmails: INSTRUCTEURS[d.def.region].slice(),
    }));
  }
}

// --- keyset pagination ---------------------------------------------------------------------------

export interface PageArgs {
  first?: number;
  last?: number;
  after?: string;
  before?: string;
  updatedSince?: number;
  createdSince?: number;
  deletedSince?: number;
  state?: string;
  /** Deprecated DS argument: DESC walks the same keyset backwards. */
  order?: 'ASC' | 'DESC';
}

export interface Page<T> {
  items: Array<{ item: T; cursor: string }>;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

export const MAX_PAGE_SIZE = 100;

/** Keyset pagination over a list sorted by (key, id): `(key, id) > after` and `< before`. */
export function paginate<T>(sorted: T[], key: (t: T) => number, id: (t: T) => number, args: PageArgs, keep: (t: T) => boolean): Page<T> {
  if (args.order === 'DESC') {
    // DESC + first/after is ASC + last/before read in reverse.
    const { first, last, after, before, order: _order, ...rest } = args;
    const flipped: PageArgs = { ...rest };
    if (first !== undefined) flipped.last = first;
    if (last !== undefined) flipped.first = last;
    if (after !== undefined) flipped.before = after;
    if (before !== undefined) flipped.after = before;
    if (flipped.last === undefined && flipped.first === undefined) flipped.last = MAX_PAGE_SIZE;
    const page = paginate(sorted, key, id, flipped, keep);
    return { items: [...page.items].reverse(), hasNextPage: page.hasPreviousPage, hasPreviousPage: page.hasNextPage };
  }
  /** Position of the first row after the cursor (`strict`) or at/after it. */
  const bound = (cursor: string | undefined, strict: boolean): number | undefined => {
    if (cursor === undefined) return undefined;
    const parsed = decodeCursor(cursor);
    if (!parsed) throw new AppError('usage', 'invalid cursor');
    // First position strictly after the cursor.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const t = sorted[mid] as T;
      const k = key(t);
      const before = k < parsed.timestamp || (k === parsed.timestamp && (strict ? id(t) <= parsed.id : id(t) < parsed.id));
      if (before) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const afterPos = bound(args.after, true) ?? 0;
  const beforePos = bound(args.before, false) ?? sorted.length;
  const backward = args.last !== undefined && args.first === undefined;
  const limit = Math.max(0, Math.min(MAX_PAGE_SIZE, (backward ? args.last : args.first) ?? MAX_PAGE_SIZE));
  const picked: T[] = [];
  let more = false;
  if (!backward) {
    for (let i = afterPos; i < beforePos; i++) {
      const t = sorted[i] as T;
      if (!keep(t)) continue;
      if (picked.length === limit) {
        more = true;
        break;
      }
      picked.push(t);
    }
  } else {
    for (let i = beforePos - 1; i >= afterPos; i--) {
      const t = sorted[i] as T;
      if (!keep(t)) continue;
      if (picked.length === limit) {
        more = true;
        break;
      }
      picked.unshift(t);
    }
  }
  return {
    items: picked.map((item) => ({ item, cursor: encodeCursor(key(item), id(item)) })),
    hasNextPage: backward ? args.before !== undefined : more,
    hasPreviousPage: backward ? more : args.after !== undefined,
  };
}
