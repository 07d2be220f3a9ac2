/**
 * What commands print on stdout: aligned French tables for people, JSON for scripts (--json).
 * Logs and errors go to stderr, so stdout stays parseable.
 */
import type { Command } from 'commander';

export interface Column<Row> {
  header: string;
  value: (row: Row) => string | number | boolean | null | undefined;
  /** Numbers are right-aligned unless told otherwise. */
  align?: 'left' | 'right';
}

// Created on first use: loading the French number data costs ~80 ms, paid only for decimals.
let numberFormat: Intl.NumberFormat | undefined;

/** `10 000`, `1 234,5`: French digit grouping with plain spaces. */
export function frenchNumber(value: number): string {
  if (Number.isSafeInteger(value)) return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return (numberFormat ??= new Intl.NumberFormat('fr-FR')).format(value).replace(/\u202f|\u00a0/g, ' ');
}

function cell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return frenchNumber(value);
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  return value.replace(/\s+/g, ' ');
}

// Code points, not UTF-16 units: "é" counts for one column.
const width = (text: string): number => [...text].length;

/** An aligned table, header underlined; "(aucune ligne)" when empty. */
export function formatTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  if (rows.length === 0) return '(aucune ligne)\n';
  const cells = rows.map((row) => columns.map((column) => cell(column.value(row))));
  const widths = columns.map((column, index) => Math.max(width(column.header), ...cells.map((line) => width(line[index] ?? ''))));
  const rightAligned = columns.map((column, index) =>
    column.align ? column.align === 'right' : rows.every((row) => typeof columns[index]?.value(row) === 'number'),
  );
  const render = (line: readonly string[]) =>
    line
      .map((text, index) => {
        const pad = ' '.repeat((widths[index] ?? 0) - width(text));
        return rightAligned[index] ? pad + text : text + pad;
      })
      .join('  ')
      .trimEnd();
  const header = render(columns.map((column) => column.header));
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return `${[header, rule, ...cells.map(render)].join('\n')}\n`;
}

export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Writes to the command's stdout (commander's output configuration, so tests can capture it). */
export function print(command: Command, text: string): void {
  command.configureOutput().writeOut?.(text.endsWith('\n') ? text : `${text}\n`);
}

export function printTable<Row>(command: Command, rows: readonly Row[], columns: readonly Column<Row>[]): void {
  print(command, formatTable(rows, columns));
}

export function printJson(command: Command, value: unknown): void {
  print(command, formatJson(value));
}

/** The global --json flag, as seen from any subcommand. */
export function wantsJson(command: Command): boolean {
  return command.optsWithGlobals<{ json?: boolean }>().json === true;
}
