/**
 * GraphQL views of the store: plain objects and small classes whose properties and methods the
 * graphql-js default resolver reads (methods receive field arguments and the request context).
 */
import { GraphQLError } from 'graphql';
import type { AddressValue, CommuneValue, DepartementValue, FieldDef, FieldKind, FieldValue, FileSpec, RowValue, Values } from './model.ts';
import type { DemarcheRuntime, DossierRecord, Groupe, Instructeur, LabelInfo, PageArgs, SimulatorState } from './store.ts';
import type { ProgrammeDef } from './programmes.ts';
import { champId, encodeId } from './ids.ts';
import { fileIdentity, fileSummary, sign, URL_LIFETIME_MS } from './files.ts';
import { formatParis, parisTime } from './time.ts';

export interface RequestContext {
  state: SimulatorState;
  baseUrl: string;
  fileSecret: string;
  access: 'readWrite' | 'readOnly' | 'otherScope';
  /** Concrete types the query names in fragments (DS resolves some champ types only then). */
  namedTypes: Set<string>;
  /** Démarches whose dossiers were paged by this request (for the concurrent-edit fault). */
  pagedDemarches: Set<number>;
}

export function gqlError(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

const DESCRIPTOR_TYPES: Record<FieldKind, string> = {
  header_section: 'HeaderSectionChampDescriptor',
  explication: 'ExplicationChampDescriptor',
  text: 'TextChampDescriptor',
  textarea: 'TextareaChampDescriptor',
  email: 'EmailChampDescriptor',
  phone: 'PhoneChampDescriptor',
  date: 'DateChampDescriptor',
  datetime: 'DatetimeChampDescriptor',
  checkbox: 'CheckboxChampDescriptor',
  yes_no: 'YesNoChampDescriptor',
  integer_number: 'IntegerNumberChampDescriptor',
  decimal_number: 'DecimalNumberChampDescriptor',
  siret: 'SiretChampDescriptor',
  address: 'AddressChampDescriptor',
  commune: 'CommuneChampDescriptor',
  departement: 'DepartementChampDescriptor',
  civilite: 'CiviliteChampDescriptor',
  drop_down_list: 'DropDownListChampDescriptor',
  multiple_drop_down_list: 'MultipleDropDownListChampDescriptor',
  linked_drop_down_list: 'LinkedDropDownListChampDescriptor',
  repetition: 'RepetitionChampDescriptor',
  piece_justificative: 'PieceJustificativeChampDescriptor',
};

export function descriptorView(field: FieldDef): Record<string, unknown> {
  return {
    __typename: DESCRIPTOR_TYPES[field.kind],
    id: champId(field.stableId),
    label: field.label,
    description: field.description ?? null,
    required: field.required,
    options: field.options ?? null,
    otherOption: field.options && field.kind === 'drop_down_list' ? (field.otherOption ?? false) : null,
    champDescriptors: field.children ? field.children.map(descriptorView) : null,
  };
}

function revisionView(def: ProgrammeDef): Record<string, unknown> {
  const created = parisTime(def.dateCreation, 10, 0);
  return {
    id: encodeId('ProcedureRevision', def.demarcheNumber),
    dateCreation: formatParis(created),
    datePublication: formatParis(created + 7 * 86_400_000),
    champDescriptors: () => def.fields.map(descriptorView),
    annotationDescriptors: () => def.annotations.map(descriptorView),
  };
}

const profile = (i: Instructeur): Record<string, unknown> => ({ id: i.id, email: i.email });

function groupeView(g: Groupe): Record<string, unknown> {
  return { id: g.id, number: g.number, label: g.label, closed: false, instructeurs: g.instructeurs.map(profile) };
}

const labelView = (l: LabelInfo): Record<string, unknown> => ({ id: l.id, name: l.name, color: l.color });

interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  updatedSince?: string | null;
  createdSince?: string | null;
  deletedSince?: string | null;
  state?: string | null;
  order?: 'ASC' | 'DESC' | null;
}

function parseDate(value: string | null | undefined, name: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw gqlError(`${name} is not a valid ISO8601DateTime`, 'bad_request');
  return ms;
}

function pageArgs(args: ConnectionArgs): PageArgs {
  if (args.first != null && args.last != null)
    throw gqlError('Les arguments first et last ne peuvent pas être utilisés ensemble', 'bad_request');
  if (args.after != null && args.before != null)
    throw gqlError('Les arguments after et before ne peuvent pas être utilisés ensemble', 'bad_request');
  const out: PageArgs = {};
  if (args.first != null) out.first = args.first;
  if (args.last != null) out.last = args.last;
  if (args.after != null) out.after = args.after;
  if (args.before != null) out.before = args.before;
  if (args.state != null) out.state = args.state;
  if (args.order === 'DESC') out.order = 'DESC';
  const updated = parseDate(args.updatedSince, 'updatedSince');
  const created = parseDate(args.createdSince, 'createdSince');
  const deleted = parseDate(args.deletedSince, 'deletedSince');
  if (updated !== undefined) out.updatedSince = updated;
  else if (created !== undefined) out.createdSince = created;
  if (deleted !== undefined) out.deletedSince = deleted;
  return out;
}

function connection<T>(
  page: { items: Array<{ item: T; cursor: string }>; hasNextPage: boolean; hasPreviousPage: boolean },
  view: (t: T) => unknown,
): Record<string, unknown> {
  const first = page.items[0];
  const last = page.items[page.items.length - 1];
  return {
    nodes: () => page.items.map((e) => view(e.item)),
    edges: () => page.items.map((e) => ({ cursor: e.cursor, node: view(e.item) })),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: first?.cursor ?? null,
      endCursor: last?.cursor ?? null,
    },
  };
}

function withCursorErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof GraphQLError) throw error;
    throw gqlError('Curseur invalide', 'bad_request');
  }
}

export class DemarcheView {
  constructor(private readonly runtime: DemarcheRuntime) {}
  get id(): string {
    return this.runtime.id;
  }
  get number(): number {
    return this.runtime.number;
  }
  get title(): string {
    return this.runtime.def.title;
  }
  get state(): string {
    return 'publiee';
  }
  get dateCreation(): string {
    return formatParis(parisTime(this.runtime.def.dateCreation, 10, 0));
  }
  get dateDerniereModification(): string {
    return formatParis(parisTime(this.runtime.def.dateCreation, 10, 0) + 7 * 86_400_000);
  }
  get dateFermeture(): string {
    return formatParis(parisTime(this.runtime.def.session.closingDate, 23, 59) + 59_000);
  }
  get activeRevision(): Record<string, unknown> {
    return revisionView(this.runtime.def);
  }
  get publishedRevision(): Record<string, unknown> {
    return revisionView(this.runtime.def);
  }
  get draftRevision(): Record<string, unknown> {
    return revisionView(this.runtime.def);
  }
  get revisions(): Array<Record<string, unknown>> {
    return [revisionView(this.runtime.def)];
  }
  groupeInstructeurs(args: { closed?: boolean | null }): Array<Record<string, unknown>> {
    return args.closed === true ? [] : this.runtime.groupes.map(groupeView);
  }
  get labels(): Array<Record<string, unknown>> {
    return this.runtime.labels.map(labelView);
  }
  dossiers(args: ConnectionArgs & { archived?: boolean | null }, ctx: RequestContext): Record<string, unknown> {
    const parsed = pageArgs(args);
    // No seeded dossier is archived.
    if (args.archived === true) return connection({ items: [], hasNextPage: false, hasPreviousPage: false }, () => null);
    const page = withCursorErrors(() => ctx.state.dossierPage(this.runtime, parsed));
    ctx.pagedDemarches.add(this.runtime.number);
    return connection(page, (d) => new DossierView(d, ctx));
  }
  deletedDossiers(args: ConnectionArgs, ctx: RequestContext): Record<string, unknown> {
    return connection(
      withCursorErrors(() => ctx.state.deletedPage(this.runtime, false, pageArgs(args))),
      (d) => deletedView(d, false),
    );
  }
  pendingDeletedDossiers(args: ConnectionArgs, ctx: RequestContext): Record<string, unknown> {
    return connection(
      withCursorErrors(() => ctx.state.deletedPage(this.runtime, true, pageArgs(args))),
      (d) => deletedView(d, true),
    );
  }
}

function deletedView(d: DossierRecord, pending: boolean): Record<string, unknown> {
  const info = pending ? d.pendingDeleted : d.deleted;
  return {
    id: d.id,
    number: d.number,
    state: d.state === 'brouillon' ? 'en_construction' : d.state,
    reason: info?.reason ?? 'user_request',
    dateSupression: formatParis(info?.at ?? d.updatedAt),
  };
}

const iso = (ms: number | null): string | null => (ms === null ? null : formatParis(ms));

export class DossierView {
  private cachedValues: Values | null = null;
  constructor(
    private readonly r: DossierRecord,
    private readonly ctx: RequestContext,
  ) {}
  private values(): Values {
    this.cachedValues ??= this.ctx.state.valuesOf(this.r);
    return this.cachedValues;
  }
  get id(): string {
    return this.r.id;
  }
  get number(): number {
    return this.r.number;
  }
  get state(): string {
    return this.r.state;
  }
  get archived(): boolean {
    return false;
  }
  get dateDepot(): string {
    return formatParis(this.r.deposeAt);
  }
  get datePassageEnConstruction(): string {
    return formatParis(this.r.deposeAt);
  }
  get datePassageEnInstruction(): string | null {
    return iso(this.r.passageEnInstructionAt);
  }
  get dateTraitement(): string | null {
    return iso(this.r.traitementAt);
  }
  get dateExpiration(): string | null {
    return null;
  }
  get dateDerniereModification(): string {
    return formatParis(this.r.updatedAt);
  }
  get dateDerniereModificationChamps(): string {
    return formatParis(this.r.champsAt);
  }
  get dateDerniereModificationAnnotations(): string {
    return formatParis(this.r.annotationsAt);
  }
  get motivation(): string | null {
    return this.r.motivation;
  }
  get pdf(): null {
    return null;
  }
  get attestation(): null {
    return null;
  }
  get demarche(): Record<string, unknown> {
    const def = this.r.demarche.def;
    return { id: this.r.demarche.id, number: def.demarcheNumber, title: def.title, state: 'publiee', revision: revisionView(def) };
  }
  get groupeInstructeur(): Record<string, unknown> {
    return groupeView(this.r.groupe);
  }
  get instructeurs(): Array<Record<string, unknown>> {
    return this.r.followers.map(profile);
  }
  get usager(): Record<string, unknown> {
    return {
      id: encodeId('User', this.r.number + 7),
      email: this.r.demarche.def.forIndividual ? this.candidateEmail() : this.r.organisation.email,
    };
  }
  private candidateEmail(): string {
    const v = this.values()['email'];
    return typeof v === 'string' ? v : this.r.organisation.email;
  }
  get demandeur(): Record<string, unknown> {
    const id = encodeId('Individual', this.r.number);
    if (this.r.demarche.def.forIndividual) {
      const v = this.values();
      return {
        __typename: 'PersonnePhysique',
        id,
        civilite: v['civilite'] ?? null,
        nom: typeof v['nom'] === 'string' ? v['nom'] : '',
        prenom: typeof v['prenom'] === 'string' ? v['prenom'] : '',
        dateDeNaissance: v['naissance'] ?? null,
        email: typeof v['email'] === 'string' ? v['email'] : null,
      };
    }
    return { ...personneMorale(this.r.organisation.siret, this.r.organisation), id: encodeId('Etablissement', this.r.number) };
  }
  get labels(): Array<Record<string, unknown>> {
    return this.r.labels
      .map((name) => this.r.demarche.labels.find((l) => l.name === name))
      .filter((l) => l !== undefined)
      .map(labelView);
  }
  get traitements(): Array<Record<string, unknown>> {
    return this.r.traitements.map((t, i) => ({
      id: encodeId('Traitement', this.r.number * 100 + i),
      event: t.event,
      dateTraitement: formatParis(t.dateTraitement),
      emailAgentTraitant: t.emailAgentTraitant,
      motivation: t.motivation,
    }));
  }
  messages(args: { id?: string | null }): Array<Record<string, unknown>> {
    const all = this.r.messages.map((m) => messageView(m));
    return args.id ? all.filter((m) => m['id'] === args.id) : all;
  }
  champs(args: { id?: string | null }): Array<Record<string, unknown>> {
    const values = this.values();
    return champViews(this.r.demarche.def.fields, values, this.r, this.ctx, args.id ?? undefined, undefined, values);
  }
  annotations(args: { id?: string | null }): Array<Record<string, unknown>> {
    const values: Values = {};
    for (const a of this.r.demarche.def.annotations) values[a.key] = this.r.annotations[a.key] ?? null;
    return champViews(this.r.demarche.def.annotations, values, this.r, this.ctx, args.id ?? undefined, this.r.annotationsAt);
  }
}

export function messageView(m: DossierRecord['messages'][number]): Record<string, unknown> {
  return {
    id: encodeId('Commentaire', m.id),
    email: m.email,
    body: m.body,
    createdAt: formatParis(m.createdAt),
    discardedAt: null,
    attachments: [],
    correction: m.correction ? { reason: m.correction.reason, dateResolution: iso(m.correction.dateResolution) } : null,
  };
}

function personneMorale(
  siret: string,
  org: { name: string; address: AddressValue; naf: string; libelleNaf: string },
): Record<string, unknown> {
  return {
    __typename: 'PersonneMorale',
    id: encodeId('Etablissement', Number(siret.slice(-6))),
    siret,
    siegeSocial: true,
    naf: org.naf,
    libelleNaf: org.libelleNaf,
    address: { ...org.address, type: 'housenumber' },
    entreprise: { siren: siret.slice(0, 9), raisonSociale: org.name.toUpperCase(), nomCommercial: org.name, siretSiegeSocial: siret },
  };
}

export function champViews(
  fields: FieldDef[],
  values: Values,
  record: DossierRecord,
  ctx: RequestContext,
  onlyId?: string,
  defaultUpdatedAt?: number,
  /** The dossier's own values when already at hand (saves rebuilding them for SIRET champs). */
  dossierValues?: Values,
): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const field of fields) {
    if (field.kind === 'header_section' || field.kind === 'explication') continue;
    const value = values[field.key];
    if (value === undefined) continue; // hidden by a condition: absent, like DS
    const id = champId(field.stableId);
    if (onlyId !== undefined && onlyId !== id) continue;
    const updatedAt = record.champUpdatedAt[field.key] ?? defaultUpdatedAt ?? record.deposeAt;
    out.push(champView(field, value, id, updatedAt, record, ctx, dossierValues));
  }
  return out;
}

type ChampBase = { id: string; champDescriptorId: string; label: string; updatedAt: string; prefilled: boolean };
// Champ objects list the base fields one by one: `{ ...base, … }` costs a slow object copy per champ.

function textChamp(base: ChampBase, v: string | null): Record<string, unknown> {
  return {
    id: base.id,
    champDescriptorId: base.champDescriptorId,
    label: base.label,
    updatedAt: base.updatedAt,
    prefilled: false,
    __typename: 'TextChamp',
    value: v,
    stringValue: v ?? '',
  };
}

// No closures per champ: pages build thousands of champs, and each closure costs allocations.
function champView(
  field: FieldDef,
  value: FieldValue,
  id: string,
  updatedAt: number,
  record: DossierRecord,
  ctx: RequestContext,
  dossierValues?: Values,
): Record<string, unknown> {
  const base: ChampBase = {
    id,
    champDescriptorId: champId(field.stableId),
    label: field.label,
    updatedAt: formatParis(updatedAt),
    prefilled: false,
  };
  const types = ctx.namedTypes;
  switch (field.kind) {
    case 'date': {
      const v = typeof value === 'string' ? value : null;
      return {
        id: base.id,
        champDescriptorId: base.champDescriptorId,
        label: base.label,
        updatedAt: base.updatedAt,
        prefilled: false,
        __typename: 'DateChamp',
        date: v,
        stringValue: v ?? '',
      };
    }
    case 'datetime': {
      const v = typeof value === 'string' ? value : null;
      return types.has('DatetimeChamp')
        ? {
            id: base.id,
            champDescriptorId: base.champDescriptorId,
            label: base.label,
            updatedAt: base.updatedAt,
            prefilled: false,
            __typename: 'DatetimeChamp',
            datetime: v,
            stringValue: v ?? '',
          }
        : {
            id: base.id,
            champDescriptorId: base.champDescriptorId,
            label: base.label,
            updatedAt: base.updatedAt,
            prefilled: false,
            __typename: 'DateChamp',
            date: v?.slice(0, 10) ?? null,
            stringValue: v ?? '',
          };
    }
    case 'checkbox':
      return {
        id: base.id,
        champDescriptorId: base.champDescriptorId,
        label: base.label,
        updatedAt: base.updatedAt,
        prefilled: false,
        __typename: 'CheckboxChamp',
        value: value === true,
        stringValue: value === true ? 'Oui' : 'Non',
      };
    case 'yes_no': {
      const v = typeof value === 'boolean' ? value : null;
      const stringValue = v === null ? '' : v ? 'Oui' : 'Non';
      return types.has('YesNoChamp')
        ? {
            id: base.id,
            champDescriptorId: base.champDescriptorId,
            label: base.label,
            updatedAt: base.updatedAt,
            prefilled: false,
            __typename: 'YesNoChamp',
            value: v,
            stringValue,
          }
        : {
            id: base.id,
            champDescriptorId: base.champDescriptorId,
            label: base.label,
            updatedAt: base.updatedAt,
            prefilled: false,
            __typename: 'CheckboxChamp',
            value: v === true,
            stringValue,
          };
    }
    case 'integer_number':
      return {
        id: base.id,
        champDescriptorId: base.champDescriptorId,
        label: base.label,
        updatedAt: base.updatedAt,
        prefilled: false,
        __typename: 'IntegerNumberChamp',
        value: typeof value === 'number' ? String(value) : null,
        stringValue: typeof value === 'number' ? String(value) : '',
      };
    case 'decimal_number':
      return {
        id: base.id,
        champDescriptorId: base.champDescriptorId,
        label: base.label,
        updatedAt: base.updatedAt,
        prefilled: false,
        __typename: 'DecimalNumberChamp',
        value: typeof value === 'number' ? value : null,
        stringValue: typeof value === 'number' ? String(value) : '',
      };
    case 'civilite':
      return {
        id: base.id,
        champDescriptorId: base.champDescriptorId,
        label: base.label,
        updatedAt: base.updatedAt,
        prefilled: false,
        __typename: 'CiviliteChamp',
        value: typeof value === 'string' ? value : null,
        stringValue: typeof value === 'string' ? value : '',
      };
    case 'drop_down_list': {
      const v = typeof value === 'string' ? value : null;
      return types.has('DropDownListChamp')
        ? {
            id: base.id,
            champDescriptorId: base.champDescriptorId,
            label: base.label,
            updatedAt: base.updatedAt,
            prefilled: false,
            __typename: 'DropDownListChamp',
            value: v,
            stringValue: v ?? '',
          }
        : textChamp(base, v);
    }
    case 'multiple_drop_down_list': {
      const v = Array.isArray(value) ? (value as string[]) : [];
      return {
        id: base.id,
        champDescriptorId: base.champDescriptorId,
        label: base.label,
        updatedAt: base.updatedAt,
        prefilled: false,
        __typename: 'MultipleDropDownListChamp',
        values: v,
        stringValue: v.join(', '),
      };
    }
    case 'linked_drop_down_list': {
      // Stored as [primary, secondary]; DS's stringValue joins them with « / ».
      const [primary = null, secondary = null] = Array.isArray(value) ? (value as string[]) : [];
      return {
        id: base.id,
        champDescriptorId: base.champDescriptorId,
        label: base.label,
        updatedAt: base.updatedAt,
        prefilled: false,
        __typename: 'LinkedDropDownListChamp',
        primaryValue: primary,
        secondaryValue: secondary,
        stringValue: [primary, secondary].filter((v) => v !== null).join(' / '),
      };
    }
    case 'siret': {
      const v = typeof value === 'string' ? value : null;
      return {
        id: base.id,
        champDescriptorId: base.champDescriptorId,
        label: base.label,
        updatedAt: base.updatedAt,
        prefilled: false,
        __typename: 'SiretChamp',
        stringValue: v ?? '',
        etablissement: v ? personneMorale(v, { ...record.organisation, name: structureName(record, ctx, dossierValues) }) : null,
      };
    }
    case 'address': {
      const a = value && typeof value === 'object' && !Array.isArray(value) ? (value as AddressValue) : null;
      if (!types.has('AddressChamp')) return textChamp(base, a?.label ?? null);
      return {
        id: base.id,
        champDescriptorId: base.champDescriptorId,
        label: base.label,
        updatedAt: base.updatedAt,
        prefilled: false,
        __typename: 'AddressChamp',
        stringValue: a?.label ?? '',
        address: a ? { ...a, type: 'housenumber' } : null,
        commune: a ? { name: a.cityName, code: a.cityCode, postalCode: a.postalCode } : null,
        departement: a ? { code: a.departmentCode, name: a.departmentName } : null,
      };
    }
    case 'commune': {
      const c = value && typeof value === 'object' && !Array.isArray(value) ? (value as CommuneValue) : null;
      const label = c ? `${c.name} (${c.postalCode})` : null;
      if (!types.has('CommuneChamp')) return textChamp(base, label);
      return {
        id: base.id,
        champDescriptorId: base.champDescriptorId,
        label: base.label,
        updatedAt: base.updatedAt,
        prefilled: false,
        __typename: 'CommuneChamp',
        stringValue: label ?? '',
        commune: c ? { name: c.name, code: c.code, postalCode: c.postalCode } : null,
        departement: c ? { code: c.departmentCode, name: c.departmentName } : null,
      };
    }
    case 'departement': {
      const d = value && typeof value === 'object' && !Array.isArray(value) ? (value as DepartementValue) : null;
      const label = d ? `${d.code} – ${d.name}` : null;
      return types.has('DepartementChamp')
        ? {
            id: base.id,
            champDescriptorId: base.champDescriptorId,
            label: base.label,
            updatedAt: base.updatedAt,
            prefilled: false,
            __typename: 'DepartementChamp',
            stringValue: label ?? '',
            departement: d,
          }
        : textChamp(base, label);
    }
    case 'piece_justificative': {
      const specs = Array.isArray(value) ? (value as FileSpec[]) : [];
      return {
        id: base.id,
        champDescriptorId: base.champDescriptorId,
        label: base.label,
        updatedAt: base.updatedAt,
        prefilled: false,
        __typename: 'PieceJustificativeChamp',
        stringValue: specs.map((s) => s.filename).join(', '),
        files: specs.map((spec, i) => fileView(record, field.stableId, i, spec, ctx)),
      };
    }
    case 'repetition': {
      const rows = Array.isArray(value) ? (value as RowValue[]) : [];
      return {
        id: base.id,
        champDescriptorId: base.champDescriptorId,
        label: base.label,
        updatedAt: base.updatedAt,
        prefilled: false,
        __typename: 'RepetitionChamp',
        stringValue: '',
        rows: rows.map((row, i) => {
          const rowId = record.number * 100 + i;
          const rowUpdatedAt = record.champUpdatedAt[field.key] ?? record.deposeAt;
          return {
            id: encodeId('Row', rowId),
            champs: (field.children ?? []).map((child) =>
              champView(child, row[child.key] ?? null, champId(child.stableId, rowId), rowUpdatedAt, record, ctx, dossierValues),
            ),
          };
        }),
      };
    }
    default:
      return textChamp(base, typeof value === 'string' ? value : value === null ? null : String(value));
  }
}

function structureName(record: DossierRecord, ctx: RequestContext, dossierValues: Values | undefined): string {
  const name = (dossierValues ?? ctx.state.valuesOf(record))['structure_nom'];
  return typeof name === 'string' ? name : record.organisation.name;
}

/** Bytes are rebuilt from the seed; the URL carries an expiry and an HMAC like ActiveStorage. */
export function fileView(
  record: DossierRecord,
  stableId: number,
  index: number,
  spec: FileSpec,
  ctx: RequestContext,
): Record<string, unknown> {
  const { byteSize, checksum } = fileSummary(spec, fileIdentity(record.number, stableId, index));
  const path = `/files/${record.number}/${stableId}/${index}/${encodeURIComponent(spec.filename)}`;
  // One hour, rounded down to the minute so repeated reads reuse the signature.
  const expires = Math.floor((ctx.state.nowMs() + URL_LIFETIME_MS) / 60_000) * 60;
  return {
    filename: spec.filename,
    contentType: spec.contentType,
    checksum,
    byteSizeBigInt: String(byteSize),
    url: `${ctx.baseUrl}${path}?expires=${expires}&sig=${sign(ctx.fileSecret, path, expires)}`,
    createdAt: formatParis(record.deposeAt),
  };
}
