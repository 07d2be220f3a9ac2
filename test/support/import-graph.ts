/**
 * The import graph of `src/`, read with the TypeScript compiler's parser (no type checking, no
 * extra package): every relative `import`/`export … from`, dynamic `import()` and `import('…')`
 * type reference, each edge tagged with whether it exists at run time.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  from: string;
  to: string;
  /** `static`: loaded with the importer; `dynamic`: `await import()` at run time; `type`: erased by the compiler. */
  kind: 'static' | 'dynamic' | 'type';
}

export interface ImportGraph {
  /** Paths relative to the repository root, with `/` separators (`src/rules/engine.ts`). */
  files: string[];
  edges: ImportEdge[];
}

const SOURCE = /\.(ts|js|mjs)$/;

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listFiles(path);
    return SOURCE.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/** True when every name an import brings in is marked `type` (erased, no run-time edge). */
function typeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // `import './x'`: a side effect
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  if (!bindings || ts.isNamespaceImport(bindings)) return false;
  return bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly);
}

function typeOnlyExport(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return !!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((element) => element.isTypeOnly);
}

export function readImportGraph(root: string, srcDir = 'src'): ImportGraph {
  const absoluteFiles = listFiles(resolve(root, srcDir)).filter((path) => !toPosix(path).includes('/src/generated/'));
  const files = absoluteFiles.map((path) => toPosix(relative(root, path)));
  const edges: ImportEdge[] = [];
  for (const file of absoluteFiles) {
    const from = toPosix(relative(root, file));
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const add = (specifier: ts.Node | undefined, kind: ImportEdge['kind']): void => {
      if (!specifier || !ts.isStringLiteralLike(specifier) || !specifier.text.startsWith('.')) return;
      const target = resolve(dirname(file), specifier.text);
      const candidates = [target, target.replace(/\.js$/, '.ts')];
      const found = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
      if (!found) return; // a data file or a generated one: not a module of src/
      const to = toPosix(relative(root, found));
      if (to.startsWith(`${srcDir}/`) && !to.startsWith(`${srcDir}/generated/`) && SOURCE.test(to)) edges.push({ from, to, kind });
    };
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node)) add(node.moduleSpecifier, typeOnlyImport(node) ? 'type' : 'static');
      else if (ts.isExportDeclaration(node)) add(node.moduleSpecifier, typeOnlyExport(node) ? 'type' : 'static');
      else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0], 'dynamic');
      else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, 'type');
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { files, edges };
}

/** Strongly connected components with more than one module (or a module importing itself): the cycles. */
export function cycles(nodes: string[], edges: Array<{ from: string; to: string }>): string[][] {
  const next = new Map<string, string[]>(nodes.map((node) => [node, []]));
  for (const { from, to } of edges) {
    if (!next.has(from)) next.set(from, []);
    if (!next.has(to)) next.set(to, []);
    next.get(from)!.push(to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const strongConnect = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of next.get(node)!) {
      if (!index.has(target)) {
        strongConnect(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || next.get(node)!.includes(node)) found.push(component.sort());
    }
  };
  for (const node of next.keys()) if (!index.has(node)) strongConnect(node);
  return found;
}

/** The top-level folder of a module under `src/` (`rules`, `cli`…), or its file name for a module at the root (`errors.ts`). */
export function area(file: string, srcDir = 'src'): string {
  const rest = file.slice(srcDir.length + 1);
  const slash = rest.indexOf('/');
  return slash === -1 ? rest : rest.slice(0, slash);
}
