/** DS mutations with their preconditions and French payload errors (NOTES.md §3). */
import { createHmac } from 'node:crypto';
import type { FieldDef, FieldValue, InternalState } from './model.ts';
import type { DossierRecord, Instructeur, SimulatorState } from './store.ts';
import { SimulatorState as State } from './store.ts';
import { decodeId, encodeId } from './ids.ts';
import { champViews, DossierView, gqlError, messageView, type RequestContext } from './views.ts';

export const READ_ONLY = 'Le jeton utilisé est configuré seulement en lecture';
export const NO_ACCESS = 'L’instructeur n’a pas les droits d’accès à ce dossier';
export const PENDING_CORRECTION = 'Le dossier est en attente de correction';

const DISPLAY: Record<InternalState, string> = {
  brouillon: 'en brouillon',
  en_construction: 'en construction',
  en_instruction: 'en instruction',
  accepte: 'accepté',
  refuse: 'refusé',
  sans_suite: 'classé sans suite',
};

export const alreadyIn = (state: InternalState): string => `Le dossier est déjà ${DISPLAY[state]}`;

export interface MutationRecord {
  operation: string;
  dossierNumber: number | null;
  clientMutationId: string | null;
  ok: boolean;
}

type Errors = Array<{ message: string }>;
type Input = Record<string, unknown> & { clientMutationId?: string | null; dossierId?: string; instructeurId?: string };

/** What a dossier mutation works with once its ids are loaded and its rights checked. */
interface Scope {
  record: DossierRecord;
  instructeur: Instructeur;
  input: Input;
  ctx: RequestContext;
  /** Bumps the dossier's dates and returns the time of the change. */
  at: () => number;
}

type Outcome = { errors?: Errors; result?: unknown };

function loadDossier(ctx: RequestContext, id: unknown): DossierRecord {
  const number = typeof id === 'string' ? decodeId('Dossier', id) : null;
  const record = number === null ? undefined : ctx.state.byNumber.get(number);
  if (!record || !State.isVisible(record)) throw gqlError(`Dossier not found`, 'not_found');
  if (ctx.access === 'otherScope') throw gqlError('An object of type Dossier was hidden due to permissions', 'unauthorized');
  return record;
}

function loadInstructeur(ctx: RequestContext, id: unknown): Instructeur {
  const found = [...ctx.state.instructeurs.values()].find((i) => i.id === id);
  if (!found) throw gqlError('Instructeur not found', 'not_found');
  return found;
}

const hasAccess = (record: DossierRecord, instructeur: Instructeur): boolean =>
  record.groupe.instructeurs.some((i) => i.id === instructeur.id);

/** Runs a dossier mutation: loads (top-level errors), then write access, rights, preconditions. */
function dossierMutation(name: string, resultField: 'dossier' | 'message' | 'annotations', body: (scope: Scope) => Outcome) {
  return (_source: unknown, args: { input: Input }, ctx: RequestContext, stats: MutationRecord[]): Record<string, unknown> => {
    const input = args.input;
    const entry: MutationRecord = { operation: name, dossierNumber: null, clientMutationId: input.clientMutationId ?? null, ok: false };
    stats.push(entry);
    const number = typeof input.dossierId === 'string' ? decodeId('Dossier', input.dossierId) : null;
    entry.dossierNumber = number;
    const record = loadDossier(ctx, input.dossierId);
    const instructeur = loadInstructeur(ctx, input.instructeurId);
    const payload = (errors: Errors | null, result: unknown): Record<string, unknown> => {
      entry.ok = errors === null;
      return { clientMutationId: input.clientMutationId ?? null, [resultField]: result, errors };
    };
    if (ctx.access !== 'readWrite') return payload([{ message: READ_ONLY }], null);
    if (!hasAccess(record, instructeur)) return payload([{ message: NO_ACCESS }], null);
    const out = body({
      record,
      instructeur,
      input,
      ctx,
      at: () => ctx.state.touch(record, resultField === 'annotations' ? 'annotations' : 'state'),
    });
    if (out.errors && out.errors.length > 0) {
      // Partial success (annotations) keeps both the result and the errors.
      entry.ok = false;
      return { clientMutationId: input.clientMutationId ?? null, [resultField]: out.result ?? null, errors: out.errors };
    }
    return payload(null, out.result ?? new DossierView(record, ctx));
  };
}

function transition(
  record: DossierRecord,
  instructeur: Instructeur,
  at: number,
  to: InternalState,
  event: string,
  motivation: string | null = null,
): void {
  record.state = to;
  record.traitements.push({ event, dateTraitement: at, emailAgentTraitant: instructeur.email, motivation });
  if (!record.followers.some((f) => f.id === instructeur.id)) record.followers.push(instructeur);
}

function isTerminal(state: InternalState): boolean {
  return state === 'accepte' || state === 'refuse' || state === 'sans_suite';
}

function blank(value: unknown): boolean {
  return typeof value !== 'string' || value.trim() === '';
}

function checkBlob(state: SimulatorState, signedId: unknown): string | null {
  if (signedId === null || signedId === undefined) return null;
  const blob = typeof signedId === 'string' ? state.blobs.get(signedId) : undefined;
  if (!blob) return 'Le justificatif est invalide : identifiant de fichier inconnu';
  if (!blob.bytes) return 'Le fichier n’a pas été correctement téléversé sur le serveur de stockage';
  return null;
}

/** A required private annotation left empty (an unticked required checkbox counts as empty). */
function emptyRequiredAnnotation(record: DossierRecord): boolean {
  return record.demarche.def.annotations.some((a) => {
    if (!a.required) return false;
    const value = record.annotations[a.key];
    return value === null || value === undefined || value === '' || value === false || (Array.isArray(value) && value.length === 0);
  });
}

function terminer(to: 'accepte' | 'refuse' | 'sans_suite', event: string, motivationRequired: boolean) {
  return ({ record, instructeur, input, ctx, at }: Scope): Outcome => {
    if (record.state !== 'en_instruction') return { errors: [{ message: alreadyIn(record.state) }] };
    // DS's `can_terminer?` fails on empty required annotations and answers with the misleading
    // state message (NOTES §3 « Pitfall: misleading state error »).
    if (emptyRequiredAnnotation(record)) return { errors: [{ message: alreadyIn(record.state) }] };
    const motivation = typeof input['motivation'] === 'string' ? input['motivation'] : null;
    if (motivationRequired && blank(motivation)) return { errors: [{ message: 'La motivation doit être renseignée' }] };
    const blobError = checkBlob(ctx.state, input['justificatif']);
    if (blobError) return { errors: [{ message: blobError }] };
    const time = at();
    transition(record, instructeur, time, to, event, motivation);
    record.traitementAt = time;
    record.motivation = motivation;
    record.justificatifBlobId = typeof input['justificatif'] === 'string' ? input['justificatif'] : null;
    return {};
  };
}

export const dossierMutations = {
  dossierPasserEnInstruction: dossierMutation('dossierPasserEnInstruction', 'dossier', ({ record, instructeur, at }) => {
    if (record.pendingCorrection) return { errors: [{ message: PENDING_CORRECTION }] };
    if (record.state !== 'en_construction') return { errors: [{ message: alreadyIn(record.state) }] };
    const time = at();
    transition(record, instructeur, time, 'en_instruction', 'passe_en_instruction');
    record.passageEnInstructionAt = time;
    return {};
  }),
  dossierRepasserEnConstruction: dossierMutation('dossierRepasserEnConstruction', 'dossier', ({ record, instructeur, at }) => {
    if (record.state !== 'en_instruction') return { errors: [{ message: alreadyIn(record.state) }] };
    transition(record, instructeur, at(), 'en_construction', 'repasse_en_construction');
    record.passageEnInstructionAt = null;
    return {};
  }),
  dossierAccepter: dossierMutation('dossierAccepter', 'dossier', terminer('accepte', 'accepte', false)),
  dossierRefuser: dossierMutation('dossierRefuser', 'dossier', terminer('refuse', 'refuse', true)),
  dossierClasserSansSuite: dossierMutation('dossierClasserSansSuite', 'dossier', terminer('sans_suite', 'classe_sans_suite', true)),
  dossierRepasserEnInstruction: dossierMutation('dossierRepasserEnInstruction', 'dossier', ({ record, instructeur, at }) => {
    if (!isTerminal(record.state)) return { errors: [{ message: alreadyIn(record.state) }] };
    transition(record, instructeur, at(), 'en_instruction', 'repasse_en_instruction');
    record.traitementAt = null;
    record.motivation = null;
    return {};
  }),
  dossierModifierAnnotations: dossierMutation('dossierModifierAnnotations', 'annotations', ({ record, input, ctx, at }) => {
    const list = Array.isArray(input['annotations']) ? (input['annotations'] as Array<{ id: string; value: Record<string, unknown> }>) : [];
    const errors: Errors = [];
    const updated: FieldDef[] = [];
    for (const { id, value } of list) {
      const def = record.demarche.annotationsById.get(id);
      if (!def) {
        errors.push({ message: `L’annotation « ${id} » n’existe pas sur ce dossier` });
        continue;
      }
      const [key, raw] = Object.entries(value).find(([, v]) => v !== null && v !== undefined) ?? ['', null];
      const checked = checkAnnotationValue(def, key, raw);
      if ('error' in checked) {
        errors.push({ message: checked.error });
        continue;
      }
      record.annotations[def.key] = checked.value;
      updated.push(def);
    }
    if (updated.length > 0) at();
    const values = Object.fromEntries(updated.map((d) => [d.key, record.annotations[d.key] ?? null]));
    const annotations = updated.length > 0 ? champViews(updated, values, record, ctx, undefined, record.annotationsAt) : [];
    return { errors, result: annotations };
  }),
  dossierEnvoyerMessage: dossierMutation('dossierEnvoyerMessage', 'message', ({ record, instructeur, input, ctx }) => {
    if (blank(input['body'])) return { errors: [{ message: 'Le message ne peut pas être vide' }] };
    const blobError = checkBlob(ctx.state, input['attachment']);
    if (blobError) return { errors: [{ message: blobError }] };
    const correction = typeof input['correction'] === 'string' ? input['correction'] : null;
    if (correction && record.state !== 'en_construction' && record.state !== 'en_instruction') {
      return {
        errors: [
          {
            message: `Une demande de correction est impossible : ${alreadyIn(record.state).charAt(0).toLowerCase()}${alreadyIn(record.state).slice(1)}`,
          },
        ],
      };
    }
    const time = ctx.state.touch(record, 'message');
    const message = ctx.state.addMessage(record, {
      email: instructeur.email,
      body: String(input['body']),
      createdAt: time,
      correction: correction ? { reason: correction, dateResolution: null } : null,
      attachmentBlobId: typeof input['attachment'] === 'string' ? input['attachment'] : null,
    });
    if (correction) {
      record.pendingCorrection = true;
      if (record.state === 'en_instruction') {
        transition(record, instructeur, time, 'en_construction', 'repasse_en_construction');
        record.passageEnInstructionAt = null;
      }
    }
    return { result: messageView(message) };
  }),
};

const ANNOTATION_KEYS: Record<string, FieldDef['kind'][]> = {
  text: ['text', 'textarea'],
  textarea: ['textarea'],
  checkbox: ['checkbox', 'yes_no'],
  yesNo: ['yes_no'],
  date: ['date'],
  datetime: ['datetime'],
  integerNumber: ['integer_number'],
  decimalNumber: ['decimal_number'],
  dropDownList: ['drop_down_list'],
  multipleDropDownList: ['multiple_drop_down_list'],
};

export function checkAnnotationValue(def: FieldDef, key: string, raw: unknown): { value: FieldValue } | { error: string } {
  if (!ANNOTATION_KEYS[key]?.includes(def.kind)) {
    return { error: `L’annotation « ${def.label} » n’accepte pas une valeur de type « ${key} »` };
  }
  if (key === 'dropDownList' && !(def.options ?? []).includes(String(raw))) {
    return { error: `« ${String(raw)} » ne fait pas partie des options de l’annotation « ${def.label} »` };
  }
  if (key === 'multipleDropDownList') {
    const values = raw as string[];
    const bad = values.find((v) => !(def.options ?? []).includes(v));
    if (bad !== undefined) return { error: `« ${bad} » ne fait pas partie des options de l’annotation « ${def.label} »` };
    return { value: values };
  }
  return { value: raw as FieldValue };
}

/** createDirectUpload: the blob is registered now, its bytes arrive with a PUT on `url`. */
export function createDirectUpload(ctx: RequestContext, input: Input, stats: MutationRecord[], secret: string): Record<string, unknown> {
  const entry: MutationRecord = {
    operation: 'createDirectUpload',
    dossierNumber: null,
    clientMutationId: input.clientMutationId ?? null,
    ok: false,
  };
  stats.push(entry);
  const record = loadDossier(ctx, input.dossierId);
  entry.dossierNumber = record.number;
  if (ctx.access !== 'readWrite') throw gqlError(READ_ONLY, 'forbidden');
  const id = ctx.state.nextBlobId++;
  const signature = createHmac('sha256', secret).update(`blob-${id}`).digest('hex').slice(0, 40);
  const signedBlobId = `${Buffer.from(JSON.stringify({ _rails: { data: id, pur: 'blob_id' } })).toString('base64')}--${signature}`;
  const contentType = String(input['contentType']);
  const checksum = String(input['checksum']);
  ctx.state.blobs.set(signedBlobId, {
    bytes: null,
    filename: String(input['filename']),
    contentType,
    checksum,
    byteSize: Number(input['byteSize']),
  });
  entry.ok = true;
  return {
    clientMutationId: input.clientMutationId ?? null,
    directUpload: {
      url: `${ctx.baseUrl}/uploads/${encodeURIComponent(signedBlobId)}`,
      headers: JSON.stringify({ 'Content-Type': contentType, 'Content-MD5': checksum }),
      blobId: encodeId('ActiveStorage::Blob', id),
      signedBlobId,
    },
  };
}
