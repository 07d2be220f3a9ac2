/**
 * The direction of dependencies (docs/ARCHITECTURE.md): no module of src/ reaches itself back
 * through its imports, no top-level folder imports another that imports it back, and the base
 * layer (`src/domain/`: programme definitions, `src/shared/`: French formats, Paris time) imports
 * nothing outside itself.
 *
 * Every kind of import counts, type-only ones too: erased at run time, they still say which
 * folder knows about which, and a type cycle is the first step of a run-time one.
 */
import { describe, expect, it } from 'vitest';
import { area, cycles, readImportGraph } from './support/import-graph.ts';

const graph = readImportGraph(process.cwd());

describe('import graph of src/', () => {
  it('is read from the sources (sanity: known edges are seen, of each kind)', () => {
    const has = (from: string, to: string, kind: string) => graph.edges.some((e) => e.from === from && e.to === to && e.kind === kind);
    expect(has('src/cli/main.ts', 'src/cli/commands/demo.command.ts', 'static')).toBe(true);
    expect(has('src/cli/commands/demo.command.ts', 'src/demo/run-demo.ts', 'dynamic')).toBe(true);
    expect(has('src/rules/mapped-field.ts', 'src/rules/field-value.ts', 'type')).toBe(true);
    expect(
      cycles(
        ['a', 'b', 'c'],
        [
          { from: 'a', to: 'b' },
          { from: 'b', to: 'c' },
          { from: 'c', to: 'a' },
        ],
      ),
    ).toEqual([['a', 'b', 'c']]);
  });

  it('has no cycle between modules', () => {
    expect(cycles(graph.files, graph.edges)).toEqual([]);
  });

  it('has no cycle between top-level folders', () => {
    const edges = graph.edges.map((e) => ({ from: area(e.from), to: area(e.to) })).filter((e) => e.from !== e.to);
    const found = cycles([...new Set(graph.files.map((f) => area(f)))], edges);
    const why = found.map((component) =>
      graph.edges
        .filter((e) => component.includes(area(e.from)) && component.includes(area(e.to)) && area(e.from) !== area(e.to))
        .map((e) => `${e.from} → ${e.to} (${e.kind})`),
    );
    expect(why).toEqual([]);
  });

  it.each(['src/domain/', 'src/shared/'])('keeps %s free of any import from outside it', (folder) => {
    const outward = graph.edges.filter((e) => e.from.startsWith(folder) && !e.to.startsWith(folder));
    expect(outward.map((e) => `${e.from} → ${e.to}`)).toEqual([]);
    expect(graph.files.filter((f) => f.startsWith(folder)).length).toBeGreaterThan(0);
  });
});
