import { frenchCount, frenchDate } from '../../shared/french-format.ts';
import { parisDateTime } from '../../shared/paris-time.ts';
import { plural } from '../../shared/plural.ts';
import type { BlockingRef, DemarcheDigest, DigestContent, DossierRef } from './digest-data.ts';

export interface RenderedDigest {
  subject: string;
  text: string;
  html: string;
}

/** Longest list printed per section; the rest is counted ("… et 12 autres"). */
export const LIST_LIMIT = 20;

interface Section {
  title: string;
  total: number;
  items: Array<{ label: string; url: string; detail?: string }>;
}

/** Rules the configuration keeps from running on any dossier of the démarche. */
export const UNCHECKED_TITLE = 'Contrôles non effectués pour toute la démarche, et pourquoi';

function refItem(ref: DossierRef): Section['items'][number] {
  return { label: `n° ${ref.number}${ref.name ? ` – ${ref.name}` : ''}`, url: ref.url };
}

function blockingItem(ref: BlockingRef): Section['items'][number] {
  return { ...refItem(ref), detail: `${ref.message} (${ref.ruleId})` };
}

function sections(d: DemarcheDigest, first: boolean): Section[] {
  const list = <T>(title: string, items: readonly T[], map: (item: T) => Section['items'][number]): Section => ({
    title,
    total: items.length,
    items: items.slice(0, LIST_LIMIT).map(map),
  });
  return [
    list(first ? 'Dossiers déposés sur la période' : 'Nouveaux dossiers', d.newDossiers, refItem),
    ...(first ? [] : [list('Dossiers devenus complets', d.becameComplete, refItem)]),
    list('Nouvelles anomalies bloquantes', d.newBlocking, blockingItem),
    list('Dossiers supprimés', d.deleted, refItem),
    list('En attente de décision (en instruction)', d.awaitingDecision, refItem),
  ];
}

function totalsLine(d: DemarcheDigest): string {
  const t = d.totals;
  return `${plural(t.live, 'dossier', 'dossiers')} (en construction ${t.enConstruction}, en instruction ${t.enInstruction}, décidés ${t.decided}) ; complets ${t.complets}, éligibles ${t.eligibles}.`;
}

/** Columns of the totals table: one row per démarche and a total row. */
const TOTAL_COLUMNS: ReadonlyArray<{ header: string; value: (d: DemarcheDigest) => number }> = [
  { header: 'Dossiers', value: (d) => d.totals.live },
  { header: 'En construction', value: (d) => d.totals.enConstruction },
  { header: 'En instruction', value: (d) => d.totals.enInstruction },
  { header: 'Acceptés', value: (d) => d.totals.accepte },
  { header: 'Refusés', value: (d) => d.totals.refuse },
  { header: 'Sans suite', value: (d) => d.totals.sansSuite },
  { header: 'Éligibles', value: (d) => d.totals.eligibles },
  { header: 'À vérifier', value: (d) => d.totals.aVerifier },
  { header: 'Non éligibles', value: (d) => d.totals.nonEligibles },
  { header: 'Non évalués', value: (d) => d.totals.nonEvalues },
  { header: 'Nouveaux', value: (d) => d.newDossiers.length },
  { header: 'Devenus complets', value: (d) => d.becameComplete.length },
  { header: 'Nouv. bloquants', value: (d) => d.newBlocking.length },
  { header: 'Supprimés', value: (d) => d.deleted.length },
];

function totalsTable(content: DigestContent): { headers: string[]; rows: string[][] } {
  const rows = content.demarches.map((d) => [String(d.number), ...TOTAL_COLUMNS.map((c) => frenchCount(c.value(d)))]);
  if (content.demarches.length > 1) {
    rows.push(['Total', ...TOTAL_COLUMNS.map((c) => frenchCount(content.demarches.reduce((n, d) => n + c.value(d), 0)))]);
  }
  return { headers: ['Démarche', ...TOTAL_COLUMNS.map((c) => c.header)], rows };
}

function totalsText(content: DigestContent): string[] {
  const { headers, rows } = totalsTable(content);
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')}`;
  const changes = content.first
    ? ' (premier résumé : les colonnes Nouveaux à Supprimés comptent la période entière)'
    : ' depuis le dernier résumé';
  return [`Totaux par démarche${changes} :`, line(headers), ...rows.map(line), ''];
}

function totalsHtml(content: DigestContent): string {
  const { headers, rows } = totalsTable(content);
  const cell = 'style="border: 1px solid #ccc; padding: 2px 6px; text-align: right"';
  const head = 'style="border: 1px solid #ccc; padding: 2px 6px; background: #dde6f0"';
  const changes = content.first ? ' (premier résumé)' : ' et changements depuis le dernier résumé';
  return [
    `<h2 style="font-size: 16px; color: #1f4e79">Totaux par démarche${changes}</h2>`,
    '<table style="border-collapse: collapse; font-size: 13px">',
    `<tr>${headers.map((h) => `<th ${head}>${escapeHtml(h)}</th>`).join('')}</tr>`,
    ...rows.map(
      (r) => `<tr>${r.map((c, i) => (i === 0 ? `<th ${head}>${escapeHtml(c)}</th>` : `<td ${cell}>${escapeHtml(c)}</td>`)).join('')}</tr>`,
    ),
    '</table>',
  ].join('\n');
}

/** Where the workbooks and jury packs are, when they are not attached (personal data stay off the mail). */
function filesLine(attachments: readonly string[], filesLocation: string | undefined): string | null {
  if (attachments.length > 0 || !filesLocation) return null;
  return `Les classeurs et dossiers du jury ne sont pas joints à ce mail (données personnelles) : ils sont dans ${filesLocation}`;
}

function periodLine(content: DigestContent): string {
  const until = parisDateTime(content.period.until);
  return content.period.since === null
    ? `Premier résumé : état au ${until} (heure de Paris).`
    : `Activité du ${parisDateTime(content.period.since)} au ${until} (heure de Paris).`;
}

/** "[ds-ars] Résumé du 27/11/2026 : 3 nouveaux dossiers, 1 anomalie bloquante, 1 erreur". */
export function digestSubject(content: DigestContent): string {
  const sum = (pick: (d: DemarcheDigest) => number) => content.demarches.reduce((n, d) => n + pick(d), 0);
  const news = sum((d) => d.newDossiers.length);
  const blocking = sum((d) => d.newBlocking.length);
  const errors = content.problems.filter((p) => p.level === 'erreur').length;
  const parts = [
    news > 0 ? plural(news, 'nouveau dossier', 'nouveaux dossiers') : null,
    blocking > 0 ? plural(blocking, 'anomalie bloquante', 'anomalies bloquantes') : null,
    errors > 0 ? plural(errors, 'erreur', 'erreurs') : null,
  ].filter((p): p is string => p !== null);
  return `[ds-ars] Résumé du ${frenchDate(content.period.key)}${parts.length ? ` : ${parts.join(', ')}` : ' : rien de nouveau'}`;
}

function renderText(content: DigestContent, attachments: readonly string[], filesLocation: string | undefined): string {
  const lines: string[] = ['Bonjour,', '', periodLine(content), '', ...totalsText(content)];
  const files = filesLine(attachments, filesLocation);
  if (files) lines.push(files, '');
  for (const d of content.demarches) {
    lines.push(`Démarche ${d.number} – ${d.title}`, `  ${totalsLine(d)}`);
    if (d.unchecked.length > 0) {
      lines.push(`  ${UNCHECKED_TITLE} (${d.unchecked.length}) :`);
      for (const u of d.unchecked) lines.push(`    - ${u}`);
    }
    for (const s of sections(d, content.first)) {
      if (s.total === 0) continue;
      lines.push(`  ${s.title} (${s.total}) :`);
      for (const item of s.items) lines.push(`    - ${item.label}${item.detail ? ` : ${item.detail}` : ''}`, `      ${item.url}`);
      if (s.total > s.items.length) lines.push(`    … et ${s.total - s.items.length} autres`);
    }
    lines.push('');
  }
  if (content.problems.length === 0) lines.push('Aucune erreur ni alerte technique sur la période.');
  else {
    lines.push('Erreurs et avertissements :');
    for (const p of content.problems) lines.push(`  - [${p.level}] ${p.text}`);
  }
  lines.push('');
  for (const name of attachments) lines.push(`Pièce jointe : ${name}`);
  lines.push('--', 'Message automatique de ds-ars (adaptateur démarches-simplifiées – ARS). Merci de ne pas y répondre.');
  return `${lines.join('\n')}\n`;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function renderHtml(content: DigestContent, attachments: readonly string[], filesLocation: string | undefined): string {
  const out: string[] = [
    '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Résumé ds-ars</title></head>',
    '<body style="font-family: Arial, sans-serif; font-size: 14px; color: #1e1e1e">',
    `<p>Bonjour,</p><p>${escapeHtml(periodLine(content))}</p>`,
    totalsHtml(content),
  ];
  const files = filesLine(attachments, filesLocation);
  if (files) {
    const link = /^https?:\/\//.test(filesLocation ?? '')
      ? `<a href="${escapeHtml(filesLocation ?? '')}">${escapeHtml(filesLocation ?? '')}</a>`
      : `<code>${escapeHtml(filesLocation ?? '')}</code>`;
    out.push(`<p>${escapeHtml(files.slice(0, files.length - (filesLocation ?? '').length))}${link}</p>`);
  }
  for (const d of content.demarches) {
    out.push(
      `<h2 style="font-size: 16px; color: #1f4e79">Démarche ${d.number} – ${escapeHtml(d.title)}</h2>`,
      `<p>${escapeHtml(totalsLine(d))}</p>`,
    );
    if (d.unchecked.length > 0) {
      out.push(`<h3 style="font-size: 14px">${escapeHtml(UNCHECKED_TITLE)} (${d.unchecked.length})</h3><ul>`);
      for (const u of d.unchecked) out.push(`<li>${escapeHtml(u)}</li>`);
      out.push('</ul>');
    }
    for (const s of sections(d, content.first)) {
      if (s.total === 0) continue;
      out.push(`<h3 style="font-size: 14px">${escapeHtml(s.title)} (${s.total})</h3><ul>`);
      for (const item of s.items) {
        out.push(
          `<li><a href="${escapeHtml(item.url)}">${escapeHtml(item.label)}</a>${item.detail ? ` : ${escapeHtml(item.detail)}` : ''}</li>`,
        );
      }
      if (s.total > s.items.length) out.push(`<li>… et ${s.total - s.items.length} autres</li>`);
      out.push('</ul>');
    }
  }
  if (content.problems.length === 0) out.push('<p>Aucune erreur ni alerte technique sur la période.</p>');
  else {
    out.push('<h2 style="font-size: 16px; color: #a61c00">Erreurs et avertissements</h2><ul>');
    for (const p of content.problems)
      out.push(`<li><strong>${p.level === 'erreur' ? 'Erreur' : 'Avertissement'}</strong> : ${escapeHtml(p.text)}</li>`);
    out.push('</ul>');
  }
  for (const name of attachments) out.push(`<p>Pièce jointe : ${escapeHtml(name)}</p>`);
  out.push(
    '<hr><p style="color: #666; font-size: 12px">Message automatique de ds-ars (adaptateur démarches-simplifiées – ARS). Merci de ne pas y répondre.</p></body></html>',
  );
  return out.join('\n');
}

/** Subject, plain text and HTML of a digest. Pure. */
export function renderDigest(content: DigestContent, attachmentNames: readonly string[] = [], filesLocation?: string): RenderedDigest {
  return {
    subject: digestSubject(content),
    text: renderText(content, attachmentNames, filesLocation),
    html: renderHtml(content, attachmentNames, filesLocation),
  };
}
