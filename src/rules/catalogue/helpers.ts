import { type Candidature, type FieldValue, fieldOf, type RowLookupProblem } from '../candidature.ts';
import type { RuleContext } from '../context.ts';
import type { Evidence, Finding, IsMapped, Severity } from '../finding.ts';
import { fieldSpec, programmeField } from '../../domain/programmes/index.ts';
import { type CalendarDate, parseMonthYear } from '../../shared/dates.ts';

const MAX_EVIDENCE_VALUE = 200;

/** What a finding shows of a field: its label, champ id and (shortened) raw value. */
export function evidenceOf(f: FieldValue): Evidence {
  const raw = f.raw;
  return {
    label: f.label,
    champId: f.champId,
    value: raw === null ? null : raw.length > MAX_EVIDENCE_VALUE ? `${raw.slice(0, MAX_EVIDENCE_VALUE)}…` : raw,
  };
}

export function finding(ruleId: string, severity: Severity, message: string, evidence: readonly Evidence[] = []): Finding {
  return { ruleId, severity, message, evidence };
}

/** Quotes a value for a French message, shortened so a hostile value cannot flood a report. */
export function quote(value: string | null): string {
  if (value === null) return '« (vide) »';
  const oneLine = value.replace(/\s+/g, ' ').trim();
  return `« ${oneLine.length > 80 ? `${oneLine.slice(0, 80)}…` : oneLine} »`;
}

/** A value as the instructor typed it, except a DS date champ's ISO « 2026-09-01 », shown « 01/09/2026 ». */
export function shownValue(f: FieldValue): string | null {
  return f.date !== null && (f.type === 'Date' || f.type === 'Datetime') ? frDate(f.date) : f.raw;
}

/** A number as a French message writes it: decimal comma, at most two decimals (« 0,4 », « 33,33 »). */
export function frNumber(value: number): string {
  return String(Math.round(value * 100) / 100).replace('.', ',');
}

const MAX_LABEL = 70;

/**
 * A champ label as a message quotes it: one line, at most 70 characters cut at a word, so a
 * 170-character question does not drown the finding (the evidence keeps the whole label).
 */
export function shortLabel(label: string): string {
  const oneLine = label.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= MAX_LABEL) return oneLine;
  const cut = oneLine.slice(0, MAX_LABEL - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > MAX_LABEL / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.(–-]+$/, '')}…`;
}

/** 2025-04-30 → 30/04/2025. */
export function frDate(date: CalendarDate): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

/**
 * The finding every rule gives when a champ it needs cannot be read: never a silent pass. A field
 * the configuration does not map cannot be read in any dossier: that finding has the `demarche`
 * scope and is reported once per démarche (see `skipped`), not on each dossier.
 * Returns null when the field can be read (mapped and present in the answer).
 */
export function cannotCheck(ruleId: string, title: string, f: FieldValue): Finding | null {
  if (f.status !== 'absent_du_formulaire') return null;
  if (!f.mapped) {
    return { ...finding(ruleId, 'info', `Règle « ${title} » : non effectuée : ${unmappedReason(f.field, f.label)}.`), scope: 'demarche' };
  }
  if (f.rowProblem !== undefined) return rowProblemFinding(ruleId, title, f, f.rowProblem);
  return finding(
    ruleId,
    'info',
    `Règle « ${title} » : n’a pas pu être vérifiée : champ « ${shortLabel(f.label)} » absent de la réponse de démarches-simplifiées (masqué par une condition du formulaire ?) ; vérifiez à la main.`,
    [evidenceOf(f)],
  );
}

/**
 * A key read from one row of a repetition block (mapping `ligne`) when no row, or several rows,
 * say the value looked for: an alert naming the row, so the instructor reads the dossier.
 */
function rowProblemFinding(ruleId: string, title: string, f: FieldValue, p: RowLookupProblem): Finding {
  const wanted = `« ${shortLabel(p.selector)} » = ${p.value}`;
  const message =
    p.problem === 'aucune_ligne'
      ? `Règle « ${title} » : n’a pas pu être vérifiée : aucune ligne du bloc « ${shortLabel(p.block)} » n’indique ${wanted} (champ « ${shortLabel(f.label)} » recherché) ; vérifiez le dossier à la main.`
      : `Règle « ${title} » : n’a pas pu être vérifiée : ${p.rows.length} lignes du bloc « ${shortLabel(p.block)} » indiquent ${wanted} (lignes ${frList(p.rows.map(String))}), aucune n’a été retenue pour le champ « ${shortLabel(f.label)} » ; vérifiez le dossier et faites corriger la ligne en trop.`;
  return finding(ruleId, 'alerte', message, [evidenceOf(f)]);
}

/** ['1', '2', '3'] → « 1, 2 et 3 ». */
function frList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} et ${items[items.length - 1]}`;
}

function unmappedReason(key: string, label: string): string {
  return `aucun champ « ${label} » (${key}) dans la section mapping de la configuration`;
}

/**
 * Reasons a rule cannot run for a whole démarche: each need is a key that must be mapped, or a
 * list of keys of which one at least must be.
 */
export function unmappedNeeds(ctx: RuleContext, isMapped: IsMapped, needs: ReadonlyArray<string | readonly string[]>): string[] {
  const label = (key: string) => fieldSpec(ctx.programme, key)?.label ?? key;
  const out: string[] = [];
  for (const need of needs) {
    const keys = typeof need === 'string' ? [need] : need;
    if (keys.some(isMapped)) continue;
    out.push(
      keys.length === 1
        ? unmappedReason(keys[0]!, label(keys[0]!))
        : `aucun des champs ${keys.map((k) => `« ${label(k)} » (${k})`).join(' ou ')} dans la section mapping de la configuration`,
    );
  }
  return out;
}

/**
 * An empty field that `complet.champ_requis` already reports (required by DS or by the
 * programme): rules needing its value stay quiet instead of repeating the same problem.
 */
export function emptyReportedElsewhere(f: FieldValue, ctx: RuleContext): boolean {
  return f.status === 'vide' && (f.required || programmeField(ctx.programme, f.field)?.required === true);
}

export interface StartDate {
  readonly date: CalendarDate | null;
  readonly evidence: Evidence;
  /** Why the date is unknown, in French, when it is. */
  readonly problem: string | null;
}

/**
 * Start date of the post: the dossier's champ when filled (a date, or a month such as
 * "Novembre 2026" matched against the session's dates), otherwise the session's single start date.
 */
export function startDateOf(c: Candidature, ctx: RuleContext): StartDate {
  const f = fieldOf(c, 'poste.date_prise_fonction');
  const starts = ctx.session.startDates;
  if (f.status === 'rempli') {
    if (f.date !== null) return { date: f.date, evidence: evidenceOf(f), problem: null };
    const month = f.text === null ? null : parseMonthYear(f.text);
    if (month !== null) {
      const prefix = `${month.year}-${String(month.month).padStart(2, '0')}-`;
      const matching = starts.filter((s) => s.startsWith(prefix));
      if (matching.length === 1) return { date: matching[0]!, evidence: evidenceOf(f), problem: null };
    }
    return {
      date: null,
      evidence: evidenceOf(f),
      problem: `date de prise de fonction ${quote(shownValue(f))} illisible ou hors des dates de la session`,
    };
  }
  if (starts.length === 1) {
    return {
      date: starts[0]!,
      evidence: { label: 'Date de prise de fonction de la session (configuration)', champId: null, value: starts[0]! },
      problem: null,
    };
  }
  return {
    date: null,
    evidence: evidenceOf(f),
    problem:
      starts.length === 0
        ? 'date de prise de fonction inconnue : ni champ rempli dans le dossier, ni session.startDates dans la configuration'
        : 'date de prise de fonction non renseignée dans le dossier et la session en propose plusieurs',
  };
}

/** Duration of the post in years, from "2", "2 ans" or "24 mois"; null when unknown. */
export function durationYearsOf(c: Candidature): number | null {
  const f = fieldOf(c, 'poste.duree_annees');
  if (f.status !== 'rempli' || f.number === null) return null;
  return f.text !== null && /mois/i.test(f.text) ? f.number / 12 : f.number;
}
