import {
  completLabel,
  eligibleLabel,
  NOT_EVALUATED,
  SEVERITY_LABELS,
  STATE_ORDER,
  stateLabel,
  type EligibleVerdict,
} from '../shared/french-format.ts';
import { dimensionsFor, dimensionValue, type Breakdown, type Dimension } from './report-columns.ts';
import type { DossierReportRow, ReportData } from './report-data.ts';

export interface CountRow {
  label: string;
  count: number;
}

export interface BreakdownRow {
  value: string;
  total: number;
  complets: number;
  eligibles: number;
  aVerifier: number;
  nonEligibles: number;
  enInstruction: number;
  acceptes: number;
}

export interface BreakdownTable {
  dimension: Dimension;
  rows: BreakdownRow[];
}

/** AUMG-style budget: each accepted post costs monthly amount × months (seed 002: 2 000 € × 24). */
export interface Budget {
  monthlyAmountEur: number;
  months: number;
  perPostEur: number;
  acceptedPosts: number;
  committedEur: number;
  /** Accepted plus eligible dossiers still undecided: the cost if the jury accepted them all. */
  potentialPosts: number;
  potentialEur: number;
  envelopeEur: number | null;
  remainingEur: number | null;
}

export interface SummaryModel {
  total: number;
  byState: CountRow[];
  complet: CountRow[];
  eligible: CountRow[];
  findingsBySeverity: CountRow[];
  breakdowns: BreakdownTable[];
  budget: Budget | null;
}

function countBy<T>(items: readonly T[], key: (item: T) => string, order: readonly string[]): CountRow[] {
  const counts = new Map<string, number>(order.map((label) => [label, 0]));
  for (const item of items) {
    const label = key(item);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([label, count]) => ({ label, count }));
}

const UNDECIDED = new Set(['en_construction', 'en_instruction']);

function breakdown(dimension: Dimension, dossiers: readonly DossierReportRow[]): BreakdownTable {
  const byValue = new Map<string, BreakdownRow>();
  for (const d of dossiers) {
    const value = dimensionValue(dimension, d);
    let row = byValue.get(value);
    if (!row) {
      row = { value, total: 0, complets: 0, eligibles: 0, aVerifier: 0, nonEligibles: 0, enInstruction: 0, acceptes: 0 };
      byValue.set(value, row);
    }
    row.total++;
    if (d.evaluation?.complet) row.complets++;
    if (d.evaluation?.eligible === 'oui') row.eligibles++;
    if (d.evaluation?.eligible === 'a_verifier') row.aVerifier++;
    if (d.evaluation?.eligible === 'non') row.nonEligibles++;
    if (d.state === 'en_instruction') row.enInstruction++;
    if (d.state === 'accepte') row.acceptes++;
  }
  const rows = [...byValue.values()].sort((a, b) => b.total - a.total || a.value.localeCompare(b.value, 'fr'));
  return { dimension, rows };
}

function budget(data: ReportData): Budget | null {
  const session = data.demarche.session;
  const monthly = session?.monthlyAmountEur;
  const months = session?.months;
  if (monthly === undefined || months === undefined) return null;
  const perPostEur = monthly * months;
  const acceptedPosts = data.dossiers.filter((d) => d.state === 'accepte').length;
  const candidates = data.dossiers.filter((d) => UNDECIDED.has(d.state) && d.evaluation?.eligible === 'oui').length;
  const envelopeEur = session?.envelopeEur ?? null;
  const committedEur = acceptedPosts * perPostEur;
  return {
    monthlyAmountEur: monthly,
    months,
    perPostEur,
    acceptedPosts,
    committedEur,
    potentialPosts: acceptedPosts + candidates,
    potentialEur: (acceptedPosts + candidates) * perPostEur,
    envelopeEur,
    remainingEur: envelopeEur === null ? null : envelopeEur - committedEur,
  };
}

/** Counts for the *Synthèse* sheet. Pure. */
export function buildSummary(data: ReportData, main: Breakdown): SummaryModel {
  const { dossiers } = data;
  const eligibleOrder: Array<EligibleVerdict | null> = ['oui', 'a_verifier', 'non', null];
  return {
    total: dossiers.length,
    byState: countBy(dossiers, (d) => stateLabel(d.state), STATE_ORDER.map(stateLabel)),
    complet: countBy(dossiers, (d) => completLabel(d.evaluation?.complet ?? null), ['Oui', 'Non', NOT_EVALUATED]).filter(
      (r) => r.label !== NOT_EVALUATED || r.count > 0,
    ),
    eligible: countBy(dossiers, (d) => eligibleLabel(d.evaluation?.eligible ?? null), eligibleOrder.map(eligibleLabel)).filter(
      (r) => r.label !== NOT_EVALUATED || r.count > 0,
    ),
    findingsBySeverity: countBy(data.findings, (f) => SEVERITY_LABELS[f.severity] ?? f.severity, ['Bloquant', 'Alerte', 'Info']),
    breakdowns: dimensionsFor(data.demarche, main).map((dimension) => breakdown(dimension, dossiers)),
    budget: budget(data),
  };
}
