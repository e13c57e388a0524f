// Recipe text → Plan. Resolves `use`, hoists declarations, resolves scopes against the model's
// architecture profile, applies `set` defaults and the target, runs the lint rules per step, and validates
// the result against plan.schema.json. Reports every problem, never only the first, and never throws.
import { dirname, relative, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import type { Statement } from '../lang/ast.ts';
import { parse, type Parsed } from '../lang/parse.ts';
import { STATEMENT_WORDS } from '../lang/parser.ts';
import { NO_RANGE } from '../lang/range.ts';
import type { StepDraft } from '../passes/types.ts';
import { listTargets, loadTarget } from '../targets/load.ts';
import type { Target } from '../targets/target.ts';
import { readYaml, type YamlStatement } from '../yaml/read.ts';
import { BUILTIN_SCOPES, DATA_FORMATS } from './declarations-meta.ts';
import { lowerHead, lowerInput, lowerSet } from './declarations.ts';
import { RecipePaths } from './recipe-paths.ts';
import { resolveScopes, type ScopeDecl } from './scopes.ts';
import { fsHost, isInside, isYamlPath, stdlibNames, stdlibPath, type FileHost } from './sources.ts';
import { applyDefaults, checkDraft, diag, draftFromAst, type Emit } from './steps.ts';
import { SUGGESTION_CELLS, unknownMessage, withSuggestionBudget } from './suggest.ts';
import type { DataDecl, ModelRef, Plan, PlanStep } from './types.ts';
import { validatePlan } from './schema.ts';
import { pathProblem } from './paths.ts';
import { planInputs } from './inputs.ts';
import { ZOO_STRIDES } from '../zoo/catalog.ts';
import { passByName } from '../passes/registry.ts';
import { zooInputProblem } from '../zoo/size.ts';
import type { InputGuard } from '../util/guard.ts';
import { isPinned, KEPT_DIAGNOSTICS, LIMITS } from '../lang/limits.ts';

export interface CheckOptions {
  /** `--target`: overrides the recipe's `target`. */
  target?: string;
  /** `--model`: overrides the recipe's `model` (a path, or zoo:NAME), relative to the working directory. */
  model?: string;
  /** `--data`: overrides the recipe's data set (its format found from its shape), relative to the working
   *  directory; the recipe's preprocessing and `calib` still apply. */
  data?: string;
  /** `lithe run` is asking: a model, teacher or data set that is not there is an error, not a warning. */
  forRun?: boolean;
  host?: FileHost;
  stdlib?: string;
  /** Parses .cmp text: the language service passes one that caches by text, so an edit reparses only the
   *  edited file, not the files it uses. */
  parse?: (text: string) => Parsed;
}

export interface CheckResult {
  /** Present when there is no error. */
  plan?: Plan;
  diagnostics: Diagnostic[];
  /** The files the recipe brings in with `use` (real path → as shown), which lithe reads and never writes. */
  used: ReadonlyMap<string, string>;
}

/** A statement with the file it came from (undefined: the recipe itself). */
interface Located { stmt: Statement | YamlStatement; file?: string }

const MAX_DIAGNOSTICS = LIMITS.diagnostics;

export function checkText(file: string, text: string, opts: CheckOptions = {}): CheckResult {
  const b = new Builder(file, opts);
  return withSuggestionBudget(SUGGESTION_CELLS, () => b.build(text));
}

class Builder {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly host: FileHost;
  private readonly absFile: string;
  private currentFile: string | undefined;
  /** The files brought in by `use`: canonical path → the path shown in diagnostics. */
  private readonly used = new Map<string, string>();
  /** Problems found but not kept (past KEPT_DIAGNOSTICS): counted, so memory stays bounded. */
  private omitted = 0;
  /** Characters read so far: the recipe's and its used files'. */
  private chars = 0;

  /** Model, teacher, data and export paths: relative to the recipe's folder, as `use` paths are. */
  private readonly paths: RecipePaths;

  constructor(private readonly file: string, private readonly opts: CheckOptions) {
    this.host = opts.host ?? fsHost;
    this.absFile = resolve(file);
    this.paths = new RecipePaths({ host: this.host, recipeDir: dirname(this.absFile), forRun: !!opts.forRun, emit: (d) => this.emit(d) });
  }

  private emit: Emit = (d) => {
    if (this.diagnostics.length >= KEPT_DIAGNOSTICS && !isPinned(d)) { this.omitted++; return; }
    this.diagnostics.push(this.currentFile ? { ...d, file: this.currentFile } : d);
  };

  build(text: string): CheckResult {
    this.chars = text.length;
    const own = this.parseAny(this.file, text);
    const located = this.expandUses(own, [this.host.real(this.absFile) ?? this.absFile]);
    const plan = this.lower(located);
    // The schema is the contract with `lithe run`; a plan that passed every rule should always match it.
    // Each step's parameters were validated against their pass's schema already; the rest is checked here.
    if (!hasErrors(this.diagnostics)) {
      for (const e of validatePlan(plan, true)) this.emit(diag('CMP4008', `plan${e.instancePath.replaceAll('/', '.')} ${e.message}`, NO_RANGE));
    }
    const diagnostics = this.finish();
    return hasErrors(diagnostics) ? { diagnostics, used: this.used } : { plan, diagnostics, used: this.used };
  }

  private parseAny(file: string, text: string): (Statement | YamlStatement)[] {
    const parsed = isYamlPath(file) ? readYaml(text) : (this.opts.parse ?? parse)(text);
    parsed.diagnostics.forEach(this.emit);
    this.omitted += parsed.omitted;
    return parsed.recipe.statements;
  }

  // ── use ──
  private expandUses(stmts: (Statement | YamlStatement)[], stack: string[], file?: string): Located[] {
    const out: Located[] = [];
    for (const stmt of stmts) {
      if (stmt.kind !== 'use' || stmt.recovered) { out.push({ stmt, file }); continue; }
      const target = this.useTarget(stmt, stack, file);
      // A file used from several places (a diamond) is read once: its declarations arrive once.
      if (!target || this.used.has(target.real)) continue;
      if (this.used.size >= LIMITS.useFiles) {
        this.at(file, () => this.emit(diag('CMP3011', `more than ${LIMITS.useFiles} files brought in by use; '${target.shown}' is not read`, stmt.range)));
        continue;
      }
      this.used.set(target.real, target.shown);
      const text = this.host.read(target.abs);
      if (typeof text !== 'string') { this.at(file, () => this.emit(diag('CMP3005', `cannot read '${target.shown}': ${text.problem}`, stmt.range))); continue; }
      if ((this.chars += text.length) > LIMITS.totalChars) {
        this.at(file, () => this.emit(diag('CMP3011', `the recipe and the files it uses pass ${LIMITS.totalChars} characters (4 Mi); '${target.shown}' is not read`, stmt.range)));
        continue;
      }
      const inner = this.at(target.shown, () => this.parseAny(target.abs, text));
      const expanded = this.expandUses(inner, [...stack, target.real], target.shown);
      for (const l of expanded) {
        if (l.stmt.kind === 'scope' || l.stmt.kind === 'set') out.push(l);
        else this.at(l.file, () => this.emit(diag('CMP3009', `a used file may only declare scopes and sets; this ${l.stmt.kind} statement is ignored`, l.stmt.range)));
      }
    }
    return out;
  }

  private useTarget(stmt: Extract<Statement, { kind: 'use' }>, stack: string[], file?: string): { abs: string; real: string; shown: string } | undefined {
    const fail = (code: string, message: string, range = stmt.range): undefined => {
      this.at(file, () => this.emit(diag(code, message, range)));
      return undefined;
    };
    if (stmt.stdlib) {
      const names = stdlibNames(this.opts.stdlib);
      if (!names.includes(stmt.stdlib.value)) return fail('CMP1013', unknownMessage('stdlib profile', stmt.stdlib.value, names).message, stmt.stdlib.range);
      if (stack.length > LIMITS.useDepth) return fail('CMP3011', `use nested more than ${LIMITS.useDepth} levels deep: stdlib ${stmt.stdlib.value} is not read`, stmt.stdlib.range);
      const abs = stdlibPath(stmt.stdlib.value, this.opts.stdlib);
      return { abs, real: abs, shown: `stdlib/${stmt.stdlib.value}.cmp` };
    }
    const p = stmt.path!;
    const bad = pathProblem(p.value);
    if (bad) return fail('CMP2006', bad, p.range);
    // The recipe is level 0, so a stack of N files means the new file would be level N.
    if (stack.length > LIMITS.useDepth) return fail('CMP3011', `use nested more than ${LIMITS.useDepth} levels deep: '${p.value}' is not read`, p.range);
    const fromFile = stack[stack.length - 1]!;
    const root = dirname(stack[0]!);
    const abs = resolve(dirname(fromFile), p.value);
    const real = this.host.real(abs);
    // Checked on the canonical path, so neither `..` nor a symlink reaches outside the recipe's folder tree.
    if (!isInside(real ?? abs, root)) return fail('CMP3004', `use "${p.value}" is outside the recipe's folder tree (${relative(process.cwd(), root) || '.'}); refused`, p.range);
    if (!real) return fail('CMP3005', `no such file: '${p.value}'`, p.range);
    if (stack.includes(real)) return fail('CMP3006', `use cycle: '${p.value}' is already being used`, p.range);
    return { abs, real, shown: relative(process.cwd(), real) };
  }

  private at<T>(file: string | undefined, f: () => T): T {
    const saved = this.currentFile;
    this.currentFile = file;
    try { return f(); } finally { this.currentFile = saved; }
  }

  // ── declarations, scopes and steps ──
  private lower(located: Located[]): Plan {
    // Records keyed by the user's names have no prototype: `teacher ... as __proto__` is a teacher like any other.
    const plan: Plan = { lithe: 'plan/1', source: this.file, teachers: Object.create(null), scopes: {}, steps: [] };
    const seen = new Map<string, Statement>();
    const scopes: ScopeDecl[] = [];
    const scopeKeys = new Map<string, ScopeDecl>(); // file and name → declaration, for duplicates
    let data: DataDecl | undefined;
    let target: Target | undefined;
    let inputRange: Diagnostic['range'] | undefined;
    const once = (key: string, s: Statement, what: string): boolean => {
      const prev = seen.get(key);
      if (prev) this.emit(withRelated(diag('CMP3003', `${what} is already declared on line ${prev.range.start.line}`, s.range), `the first ${what.replace(/^the /, '')}`, prev.range, this.currentFile));
      else seen.set(key, s);
      return !prev;
    };
    const declare = (s: Statement | YamlStatement, file: string | undefined): void => {
      switch (s.kind) {
        case 'model': if (once('model', s, 'the model')) plan.model = this.modelRef(s.source.value, s.zoo, s.source.range, 'model'); break;
        case 'teacher': {
          const name = s.name?.value ?? 'teacher';
          if (once(`teacher:${name}`, s, `teacher '${name}'`)) plan.teachers[name] = this.modelRef(s.source.value, s.zoo, s.source.range, `teacher:${name}`);
          break;
        }
        case 'data': if (once('data', s, 'data')) data = this.paths.data(s); break;
        case 'head': if (once('head', s, 'the head')) plan.head = lowerHead(s, this.emit); break;
        case 'target': if (once('target', s, 'the target')) target = this.target(s.name.value, s.name.range); break;
        case 'input': if (once('input', s, 'the input size')) { plan.input = lowerInput(s, this.emit); inputRange = s.range; } break;
        case 'scope': {
          const key = `${file ?? ''}\0${s.name.value}`;
          const prev = scopeKeys.get(key);
          if (prev) this.emit(withRelated(diag('CMP3003', `scope '${s.name.value}' is already declared on line ${prev.range.start.line}`, s.name.range), `the first scope '${s.name.value}'`, prev.range, prev.file));
          else {
            if (s.name.value === 'all') this.emit(diag('CMP3008', "'all' is built in (every layer); redefining it changes what every step means", s.name.range));
            // The recipe's own declarations win over a used file's, whatever the order of the statements.
            const decl = { name: s.name.value, selector: s.selector, file, range: s.name.range, priority: file === undefined ? 2 : 1 };
            scopes.push(decl);
            scopeKeys.set(key, decl);
          }
          break;
        }
        case 'unknown': this.emit(this.unknownStatement(s)); break;
        default: break;
      }
    };
    for (const { stmt: s, file } of located) {
      if (s.recovered) continue;
      // Most statements are the recipe's own: no need to switch the file diagnostics are reported in.
      if (file === undefined) declare(s, file);
      else this.at(file, () => declare(s, file));
    }
    if (this.opts.model) {
      plan.model = this.modelRef(this.opts.model.replace(/^zoo:/, ''), this.opts.model.startsWith('zoo:'), NO_RANGE);
      this.paths.given('model', plan.model.path);
    }
    this.checkZooInput(plan, inputRange);
    if (this.opts.target) target = this.target(this.opts.target, NO_RANGE);
    if (this.opts.data) data = this.paths.dataFlag(this.opts.data, data);
    if (data) plan.data = data;
    this.paths.check(plan);
    if (target) plan.target = summarize(target);
    const resolved = resolveScopes([...this.profileScopes(plan, scopes), ...scopes], this.emit, (f, g) => this.at(f, g));
    plan.scopes = resolved.scopes;
    plan.steps = this.steps(located, {
      target, data, head: plan.head, scopeNames: resolved.names, teachers: new Set(['teacher', ...Object.keys(plan.teachers)]),
      inputs: planInputs(plan, { recipe: this.absFile, used: this.used, real: (p) => this.host.real(p) }),
    });
    return plan;
  }

  /** A zoo model is built at the recipe's input size: one it cannot be built at is a CMP2008 here, not a failed run. */
  private checkZooInput(plan: Plan, range: Diagnostic['range'] = NO_RANGE): void {
    const name = plan.model?.zoo;
    const stride = name !== undefined && Object.hasOwn(ZOO_STRIDES, name) ? ZOO_STRIDES[name] : undefined;
    const problem = name !== undefined && stride !== undefined && plan.input && zooInputProblem({ name, stride }, plan.input);
    if (problem) this.emit(diag('CMP2008', problem, range));
  }

  /** `key`: where the recipe names it (a path it gives is resolved from its folder); none for --model. */
  private modelRef(value: string, zoo: boolean, range: Diagnostic['range'], key?: string): ModelRef {
    if (!zoo) {
      const bad = pathProblem(value);
      if (bad) this.emit(diag('CMP2006', bad, range));
      return { path: key && !bad ? this.paths.recipe(key, value, range) : value };
    }
    const names = stdlibNames(this.opts.stdlib);
    if (!names.includes(value)) this.emit(diag('CMP1013', unknownMessage('zoo model', value, names).message, range));
    return { zoo: value };
  }

  private target(name: string, range: Diagnostic['range']): Target | undefined {
    const known = listTargets();
    if (!known.includes(name)) {
      const { message, suggestion } = unknownMessage('target', name, known);
      this.emit(diag('CMP1006', message, range, undefined, suggestion));
      return undefined;
    }
    try {
      return loadTarget(name);
    } catch (e) {
      this.emit(diag('CMP1006', (e as Error).message, range));
      return undefined;
    }
  }

  /** The scopes of the model's stdlib profile (lowest priority: the recipe may redefine them). */
  private profileScopes(plan: Plan, scopes: ScopeDecl[]): ScopeDecl[] {
    const used = scopes.find((s) => s.file?.startsWith('stdlib/') && (BUILTIN_SCOPES as readonly string[]).includes(s.name));
    if (used) plan.profile = used.file!.slice('stdlib/'.length, -'.cmp'.length);
    const zoo = plan.model?.zoo;
    if (!zoo || !stdlibNames(this.opts.stdlib).includes(zoo)) return [];
    plan.profile ??= zoo;
    const shown = `stdlib/${zoo}.cmp`;
    if (scopes.some((s) => s.file === shown)) return []; // already brought in by `use stdlib`
    const read = this.host.read(stdlibPath(zoo, this.opts.stdlib));
    const text = typeof read === 'string' ? read : '';
    return (this.opts.parse ?? parse)(text).recipe.statements.flatMap((s) => (s.kind === 'scope' && !s.recovered
      ? [{ name: s.name.value, selector: s.selector, file: shown, range: s.name.range, priority: 0 }] : []));
  }

  private unknownStatement(s: Extract<Statement, { kind: 'unknown' }>): Diagnostic {
    const { message, suggestion } = unknownMessage('statement', s.word.value, STATEMENT_WORDS);
    return diag('CMP1001', message, s.word.range, undefined, suggestion);
  }

  private steps(located: Located[], facts: { target?: Target; data?: DataDecl; head?: Plan['head']; scopeNames: Set<string>; teachers: Set<string>; inputs: InputGuard }): PlanStep[] {
    const labelled = !!facts.data && !!DATA_FORMATS.find((f) => f.name === facts.data!.format)?.labelled;
    const headNone = facts.head?.kind === 'none';
    const sets = new Map<string, { value: unknown; line: number }>();
    let quantized: StepDraft | undefined;
    const out: PlanStep[] = [];
    for (const { stmt: s, file } of located) {
      if (s.kind === 'set' && !s.recovered) {
        const v = this.at(file, () => lowerSet(s, this.emit));
        if (v !== undefined) sets.set(s.key.value, { value: v, line: s.range.start.line });
      }
      if (file !== undefined || (s.kind !== 'step' && s.kind !== 'yaml-step') || s.recovered) continue;
      const draft = s.kind === 'step' ? draftFromAst(s, this.emit) : s.draft;
      this.resolveStepPaths(draft);
      applyDefaults(draft, { sets, data: facts.data, target: facts.target, hasLabels: labelled && !headNone });
      checkDraft(draft, {
        target: facts.target, hasData: !!facts.data, labelled, dataFormat: facts.data?.format, headNone, teachers: facts.teachers,
        scopes: facts.scopeNames, quantized, inputs: facts.inputs,
      }, this.emit);
      if (draft.pass === 'quantize') quantized ??= draft;
      out.push({ index: out.length + 1, pass: draft.pass, params: draft.params, defaults: draft.defaults, range: draft.range });
    }
    return out;
  }

  /** A step's path parameters (`export onnx PATH`), resolved from the recipe's folder like every recipe path. */
  private resolveStepPaths(draft: StepDraft): void {
    for (const k of passByName.get(draft.pass)?.paths ?? []) {
      const v = draft.params[k];
      if (typeof v === 'string' && !pathProblem(v)) draft.params[k] = this.paths.resolve(v);
    }
  }

  private finish(): Diagnostic[] {
    const ds = this.diagnostics.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || a.range.start.offset - b.range.start.offset);
    if (ds.length <= MAX_DIAGNOSTICS && !this.omitted) return ds;
    // The first problems, and every "the rest was not read" wherever it is.
    const shown = [...ds.slice(0, MAX_DIAGNOSTICS), ...ds.slice(MAX_DIAGNOSTICS).filter(isPinned)];
    const last = shown[shown.length - 1]!;
    const more = ds.length - shown.length + this.omitted;
    return [...shown, { code: 'CMP0005', severity: 'error', message: `${more} more problems not shown`, range: last.range, ...(last.file ? { file: last.file } : {}) }];
  }
}

/** Points a diagnostic at another place too (editors show it as related information). */
function withRelated(d: Diagnostic, message: string, range: Diagnostic['range'], file?: string): Diagnostic {
  return { ...d, related: [{ message, range, ...(file ? { file } : {}) }] };
}

function summarize(t: Target): NonNullable<Plan['target']> {
  return { name: t.name, precision: t.defaults.precision, round: t.defaults.round, calib: t.defaults.calib, export: t.export.format, opset: t.onnx.opset };
}

