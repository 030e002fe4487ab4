// Finds text on VS Code surfaces that did not pass through src/extension/surfaceText.ts, and
// log text that did not pass src/extension/logText.ts
// (issue 14). Uses the TypeScript compiler API with a type checker, so identifiers are
// resolved the way the compiler resolves them, not by name.
//
// An expression is SAFE when it is
//   - a string/number literal, a template without substitutions, undefined/null/true/false;
//   - a template, `+`, `? :`, `??`, `||`, `&&` whose every text-bearing part is safe;
//   - of a type that cannot carry text: number, boolean, bigint, or a union of string
//     literal types (our own enumerations, e.g. a validated reason code);
//   - an identifier bound to a `const` whose initializer is safe (through imports too);
//   - a property or element of a const object literal whose values are all safe
//     (LOOK[state].icon, ACTION_LABEL[a]);
//   - a call of a surfaceText function (SURFACE_FUNCTIONS), whatever its arguments;
//   - a call of a function of ours whose every `return` is safe by these rules (formatters);
//   - `x.length`, Math.*(…), `n.toFixed(…)`, String(number), a Date's toLocale*String(),
//     `[safe…].join(safe)`, `safe.trim()`.
// Everything else on a surface is an offence, reported as file:line.

import * as path from 'node:path';
import ts from 'typescript';
import { LOG_FUNCTIONS } from '../../src/extension/logText';
import { SURFACE_FUNCTIONS } from '../../src/extension/surfaceText';

export interface Offence {
  file: string;
  line: number;
  surface: string;
  text: string;
}

const SHOW = new Set(['showInformationMessage', 'showWarningMessage', 'showErrorMessage']);
/** Properties that are surface text in any object literal (quick pick items, tree items, input
 *  and quick pick options, modal options). */
const TEXT_PROPERTIES = new Set(['label', 'description', 'detail', 'placeHolder', 'placeholder', 'prompt', 'tooltip']);
/** Assignments that put text on a widget (TreeItem, StatusBarItem, QuickPick, WebviewView). */
const TEXT_ASSIGNMENTS = new Set(['label', 'description', 'detail', 'tooltip', 'text', 'title', 'placeholder', 'prompt']);
const NUMBER_METHODS = new Set(['toFixed', 'toPrecision']);
const DATE_METHODS = new Set(['toLocaleString', 'toLocaleDateString', 'toLocaleTimeString', 'toISOString']);
const SAFE_STRING_METHODS = new Set(['trim', 'toUpperCase', 'toLowerCase', 'padStart', 'padEnd', 'slice']);

class Auditor {
  readonly offences: Offence[] = [];
  private readonly seen = new Set<ts.Node>();

  /** `cleaners`: the functions whose output counts as safe, and the module they must come from. */
  constructor(
    readonly checker: ts.TypeChecker,
    private readonly cleaners: { names: ReadonlySet<string>; module: RegExp },
  ) {}

  report(node: ts.Node, surface: string): void {
    const sf = node.getSourceFile();
    const line = sf.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    // An options object's property is reached twice (as the call's option and as an object).
    if (this.offences.some((o) => o.file === sf.fileName && o.line === line && o.text === node.getText().slice(0, 120))) return;
    this.offences.push({ file: sf.fileName, line, surface, text: node.getText().slice(0, 120) });
  }

  require(node: ts.Expression | undefined, surface: string): void {
    if (node && !this.safe(node)) this.report(node, surface);
  }

  /** A TreeItem label: text, or a TreeItemLabel object (its `label` is checked as an object
   *  property), or a choice between those. */
  requireLabel(node: ts.Expression, surface: string): void {
    const e = strip(node);
    if (ts.isObjectLiteralExpression(e)) return;
    if (ts.isConditionalExpression(e)) {
      this.requireLabel(e.whenTrue, surface);
      this.requireLabel(e.whenFalse, surface);
      return;
    }
    this.require(e, surface);
  }

  /** Surface text inside an options object or item literal. */
  requireProps(node: ts.Expression | undefined, names: ReadonlySet<string>, surface: string): void {
    if (!node) return;
    const obj = strip(node);
    if (!ts.isObjectLiteralExpression(obj)) return;
    for (const p of obj.properties) {
      const name = p.name && ts.isIdentifier(p.name) ? p.name.text : undefined;
      if (!name || !names.has(name)) continue;
      if (ts.isPropertyAssignment(p)) this.require(p.initializer, `${surface}.${name}`);
      else if (ts.isShorthandPropertyAssignment(p)) this.require(p.name, `${surface}.${name}`);
    }
  }

  private typeIsSafe(node: ts.Expression): boolean {
    const t = this.checker.getTypeAtLocation(node);
    const parts = t.isUnion() ? t.types : [t];
    return parts.every((p) => {
      const f = p.flags;
      if (f & (ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.Undefined | ts.TypeFlags.Null)) return true;
      return !!(f & ts.TypeFlags.StringLiteral); // a literal type: one of our own spellings
    });
  }

  /** The declaration an identifier resolves to, through imports. */
  private declarationOf(id: ts.Node): ts.Declaration | undefined {
    // `{ detail }`: the name is the property; the value is the variable it stands for.
    let sym =
      ts.isShorthandPropertyAssignment(id.parent) && id.parent.name === id
        ? this.checker.getShorthandAssignmentValueSymbol(id.parent)
        : this.checker.getSymbolAtLocation(id);
    if (sym && sym.flags & ts.SymbolFlags.Alias) sym = this.checker.getAliasedSymbol(sym);
    return sym?.valueDeclaration ?? sym?.declarations?.[0];
  }

  private constInitializer(id: ts.Identifier): ts.Expression | undefined {
    const d = this.declarationOf(id);
    if (!d || !ts.isVariableDeclaration(d) || !d.initializer) return undefined;
    if (!ts.isVariableDeclarationList(d.parent) || !(d.parent.flags & ts.NodeFlags.Const)) return undefined;
    return d.initializer;
  }

  /** An object literal (through consts and property/element access) whose every value is
   *  safe or itself such an object. */
  private safeObject(node: ts.Expression): boolean {
    const e = strip(node);
    if (this.seen.has(e)) return false; // cycles are not safe
    this.seen.add(e);
    try {
      if (ts.isIdentifier(e)) {
        const init = this.constInitializer(e);
        return !!init && this.safeObject(init);
      }
      if (ts.isObjectLiteralExpression(e)) {
        return e.properties.every((p) => ts.isPropertyAssignment(p) && (this.safe(p.initializer) || this.safeObject(p.initializer)));
      }
      if (ts.isElementAccessExpression(e) || ts.isPropertyAccessExpression(e)) return this.safeObject(e.expression);
      return false;
    } finally {
      this.seen.delete(e);
    }
  }

  safe(node: ts.Expression): boolean {
    const e = strip(node);
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isNumericLiteral(e)) return true;
    if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword) return true;
    if (ts.isTemplateExpression(e)) return e.templateSpans.every((s) => this.safe(s.expression));
    if (ts.isConditionalExpression(e)) return this.safe(e.whenTrue) && this.safe(e.whenFalse);
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (
        op === ts.SyntaxKind.PlusToken ||
        op === ts.SyntaxKind.QuestionQuestionToken ||
        op === ts.SyntaxKind.BarBarToken ||
        op === ts.SyntaxKind.AmpersandAmpersandToken
      ) {
        return this.safe(e.left) && this.safe(e.right);
      }
      return this.typeIsSafe(e);
    }
    if (ts.isCallExpression(e)) {
      const callee = strip(e.expression);
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (this.cleaners.names.has(name) && this.isCleanerModule(callee)) return true;
      if (ts.isPropertyAccessExpression(callee)) {
        if (ts.isIdentifier(callee.expression) && callee.expression.text === 'Math') return true;
        if (NUMBER_METHODS.has(name)) return this.typeIsSafe(callee.expression);
        if (DATE_METHODS.has(name)) return this.checker.typeToString(this.checker.getTypeAtLocation(callee.expression)) === 'Date';
        if (SAFE_STRING_METHODS.has(name)) return this.safe(callee.expression);
        if (name === 'join' && ts.isArrayLiteralExpression(strip(callee.expression))) {
          return (strip(callee.expression) as ts.ArrayLiteralExpression).elements.every((x) => this.safe(x)) && e.arguments.every((a) => this.safe(a));
        }
      }
      if (ts.isIdentifier(callee) && callee.text === 'String') return !!e.arguments[0] && this.typeIsSafe(e.arguments[0]);
      return this.typeIsSafe(e) || this.returnsSafe(callee);
    }
    if (ts.isPropertyAccessExpression(e) && e.name.text === 'length') return true;
    if (ts.isIdentifier(e)) {
      if (e.text === 'undefined') return true;
      if (this.seen.has(e)) return false;
      this.seen.add(e);
      try {
        const init = this.constInitializer(e);
        if (init && this.safe(init)) return true;
      } finally {
        this.seen.delete(e);
      }
      return this.typeIsSafe(e);
    }
    if ((ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) && this.safeObject(e.expression)) return true;
    return this.typeIsSafe(e);
  }

  /** A function of ours (declared in the program, not a library) whose every `return` is
   *  safe by these rules, e.g. a formatter of numbers: its result is safe whatever the args. */
  private returnsSafe(callee: ts.Expression): boolean {
    const d = this.declarationOf(ts.isPropertyAccessExpression(callee) ? callee.name : callee);
    let fn: ts.Node | undefined = d;
    if (d && ts.isVariableDeclaration(d) && d.initializer && ts.isVariableDeclarationList(d.parent) && d.parent.flags & ts.NodeFlags.Const)
      fn = strip(d.initializer);
    if (!fn || !(ts.isFunctionDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) || !fn.body) return false;
    if (fn.getSourceFile().isDeclarationFile || this.seen.has(fn)) return false;
    this.seen.add(fn);
    try {
      if (!ts.isBlock(fn.body)) return this.safe(fn.body);
      const returns: ts.Expression[] = [];
      const collect = (n: ts.Node): void => {
        if (ts.isFunctionLike(n)) return; // a nested function's returns are its own
        if (ts.isReturnStatement(n) && n.expression) returns.push(n.expression);
        ts.forEachChild(n, collect);
      };
      ts.forEachChild(fn.body, collect);
      return returns.length > 0 && returns.every((r) => this.safe(r));
    } finally {
      this.seen.delete(fn);
    }
  }

  /** The callee really is the cleaning module's function, not a look-alike of the same name. */
  private isCleanerModule(callee: ts.Expression): boolean {
    const id = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
    const d = this.declarationOf(id);
    return !!d && this.cleaners.module.test(d.getSourceFile().fileName);
  }
}

function strip(e: ts.Expression): ts.Expression {
  let x = e;
  while (ts.isParenthesizedExpression(x) || ts.isAsExpression(x) || ts.isNonNullExpression(x) || ts.isSatisfiesExpression(x) || ts.isTypeAssertionExpression(x))
    x = x.expression;
  return x;
}

function calleeName(e: ts.CallExpression | ts.NewExpression): string {
  const c = strip(e.expression);
  return ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) ? c.name.text : '';
}

function visit(a: Auditor, node: ts.Node): void {
  if (ts.isCallExpression(node)) {
    const name = calleeName(node);
    const args = node.arguments;
    if (SHOW.has(name)) {
      for (const arg of args) {
        const x = strip(arg);
        if (ts.isObjectLiteralExpression(x)) {
          // Its `detail` is checked as a text property; a message item's `title` is a button label.
          a.requireProps(x, new Set(['title']), name);
          continue;
        }
        if (ts.isSpreadElement(arg)) {
          const inner = strip(arg.expression);
          // ...actions.map((a) => LABEL[a]): the mapped value is what shows.
          if (
            ts.isCallExpression(inner) &&
            calleeName(inner) === 'map' &&
            inner.arguments[0] &&
            ts.isArrowFunction(inner.arguments[0]) &&
            !ts.isBlock(inner.arguments[0].body)
          ) {
            a.require(inner.arguments[0].body, name);
          } else a.require(arg.expression, name);
        } else a.require(arg, name);
      }
    } else if (name === 'withProgress') {
      a.requireProps(args[0], new Set(['title']), 'withProgress');
    } else if (name === 'report') {
      a.requireProps(args[0], new Set(['message']), 'progress.report');
    } else if (name === 'showQuickPick') {
      const items = args[0] && strip(args[0]);
      if (items && ts.isArrayLiteralExpression(items))
        for (const el of items.elements) if (!ts.isObjectLiteralExpression(strip(el))) a.require(el, 'showQuickPick item');
      a.requireProps(args[1], new Set(['title', 'placeHolder']), 'showQuickPick');
    } else if (name === 'showInputBox') {
      a.requireProps(args[0], new Set(['title', 'prompt', 'placeHolder', 'value']), 'showInputBox');
    } else if (name === 'appendText') {
      a.require(args[0], 'MarkdownString.appendText');
    } else if (name === 'appendMarkdown' || name === 'appendCodeblock') {
      // Markup is only ever ours: a literal or a const, never the output of anything.
      const x = args[0] && strip(args[0]);
      if (x && !(ts.isStringLiteral(x) || ts.isNoSubstitutionTemplateLiteral(x))) a.report(x, `MarkdownString.${name}`);
    }
  } else if (ts.isNewExpression(node)) {
    const name = calleeName(node);
    if (name === 'TreeItem' && node.arguments?.[0]) a.requireLabel(node.arguments[0], 'TreeItem');
    if (name === 'MarkdownString') {
      const [value, icons] = node.arguments ?? [];
      const v = value && strip(value);
      if (v && !ts.isStringLiteral(v) && !ts.isNoSubstitutionTemplateLiteral(v) && !(ts.isIdentifier(v) && v.text === 'undefined'))
        a.report(v, 'MarkdownString value');
      if (icons && strip(icons).kind !== ts.SyntaxKind.FalseKeyword) a.report(icons, 'MarkdownString supportThemeIcons');
    }
  } else if (ts.isObjectLiteralExpression(node)) {
    a.requireProps(node, TEXT_PROPERTIES, 'object');
    for (const p of node.properties) {
      const n = p.name && ts.isIdentifier(p.name) ? p.name.text : '';
      if (n === 'isTrusted' || n === 'supportHtml') a.report(p, `MarkdownString ${n}`);
    }
  } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left)) {
    const n = node.left.name.text;
    if (n === 'isTrusted' || n === 'supportHtml' || n === 'supportThemeIcons') a.report(node, `MarkdownString ${n}`);
    else if (TEXT_ASSIGNMENTS.has(n) && !ts.isObjectLiteralExpression(strip(node.right)) && !ts.isArrayLiteralExpression(strip(node.right))) {
      // A MarkdownString built here (and checked above) is fine as a tooltip.
      const r = strip(node.right);
      const isMd = a.checker.typeToString(a.checker.getTypeAtLocation(r)).includes('MarkdownString');
      if (!isMd) a.require(r, `.${n} =`);
    }
  }
  ts.forEachChild(node, (c) => visit(a, c));
}

const LOG_METHODS = new Set(['info', 'warn', 'error', 'debug', 'trace', 'appendLine', 'append']);

/** Log calls: `log.warn(…)`, `this.log.info(…)`, `d.log.error(…)` (the "Tox" output channel). */
function visitLogs(a: Auditor, node: ts.Node): void {
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && LOG_METHODS.has(node.expression.name.text)) {
    const recv = node.expression.expression;
    const recvName = ts.isIdentifier(recv) ? recv.text : ts.isPropertyAccessExpression(recv) ? recv.name.text : '';
    if (/^(log|logger|channel|output)$/i.test(recvName)) for (const arg of node.arguments) a.require(arg, `log.${node.expression.name.text}`);
  }
  ts.forEachChild(node, (c) => visitLogs(a, c));
}

function program(files: readonly string[], virtual: Record<string, string>): { program: ts.Program; wanted: Set<string> } {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    esModuleInterop: true,
    types: ['node'],
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  const names = Object.keys(virtual).map((n) => path.resolve(n));
  const byPath = new Map(Object.entries(virtual).map(([n, t]) => [path.resolve(n), t]));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (f, lang, ...rest) =>
    byPath.has(path.resolve(f)) ? ts.createSourceFile(f, byPath.get(path.resolve(f))!, lang, true) : getSourceFile(f, lang, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (f) => byPath.has(path.resolve(f)) || fileExists(f);
  const readFile = host.readFile.bind(host);
  host.readFile = (f) => byPath.get(path.resolve(f)) ?? readFile(f);
  return {
    program: ts.createProgram([...files, ...names], options, host),
    wanted: new Set([...files, ...names].map((f) => path.resolve(f))),
  };
}

/** Audits files (absolute paths) and in-memory sources (name → text) in one program. */
export function auditSurfaces(files: readonly string[], virtual: Record<string, string> = {}): Offence[] {
  const { program: p, wanted } = program(files, virtual);
  const auditor = new Auditor(p.getTypeChecker(), { names: new Set(SURFACE_FUNCTIONS), module: /[\\/]surfaceText\.ts$/ });
  for (const sf of p.getSourceFiles()) if (wanted.has(path.resolve(sf.fileName))) visit(auditor, sf);
  return auditor.offences;
}

/** Log calls whose text is not a literal, a number, one of our enumerations or logText's output. */
export function auditLogs(files: readonly string[], virtual: Record<string, string> = {}): Offence[] {
  const { program: p, wanted } = program(files, virtual);
  const auditor = new Auditor(p.getTypeChecker(), { names: new Set(LOG_FUNCTIONS), module: /[\\/]logText\.ts$/ });
  for (const sf of p.getSourceFiles()) if (wanted.has(path.resolve(sf.fileName))) visitLogs(auditor, sf);
  return auditor.offences;
}
