// The paths a recipe names (model, teachers, data, exports): resolved from the recipe's folder, as `use` paths
// are, into what the plan records (relative to the working folder; absolute paths stay absolute), and
// remembered with where the recipe wrote them for the checks of plan/files.ts. Paths given on the command
// line (--model, --data) are the working folder's already.
import { isAbsolute, relative, resolve } from 'node:path';
import type { Statement } from '../lang/ast.ts';
import { NO_RANGE, type Range } from '../lang/range.ts';
import { PREPROCESS_OPTIONS } from './declarations-meta.ts';
import { lowerData } from './declarations.ts';
import { checkDataFiles, checkModelFile, detectDataFormat, type FileCheck, type PathAt } from './files.ts';
import { pathProblem } from './paths.ts';
import { diag } from './steps.ts';
import type { DataDecl, Plan } from './types.ts';

const DATA_KEYS = ['data.path', 'data.val', 'data.images'] as const;

export class RecipePaths {
  /** By role: `model`, `teacher:NAME`, `data.path`, `data.val`, `data.images`. */
  private readonly at = new Map<string, PathAt>();

  constructor(private readonly c: FileCheck) {}

  /** A path of the recipe as the plan records it. */
  resolve(p: string): string {
    return isAbsolute(p) ? p : relative(process.cwd(), resolve(this.c.recipeDir, p)) || '.';
  }

  /** Resolves a path the recipe gives for `key` and remembers it for the checks. */
  recipe(key: string, raw: string, range: Range): string {
    const path = this.resolve(raw);
    this.at.set(key, { path, raw, range });
    return path;
  }

  /** A command-line path for `key` (already the working folder's), replacing the recipe's. */
  given(key: string, path: string | undefined): void {
    this.at.delete(key);
    if (path && !pathProblem(path)) this.at.set(key, { path, raw: path, range: NO_RANGE });
  }

  /** `data FORMAT [PATH] {OPTION}`, its paths resolved. */
  data(s: Extract<Statement, { kind: 'data' }>): DataDecl | undefined {
    const decl = lowerData(s, this.c.emit);
    if (!decl) return undefined;
    // a path option's diagnostics point at its value
    const range = (name: string) => { const o = s.options.find((x) => x.name.value === name); return o?.args[0]?.range ?? o?.range ?? s.range; };
    if (decl.path) decl.path = this.recipe('data.path', decl.path, s.path?.range ?? s.range);
    if (decl.val) decl.val = this.recipe('data.val', decl.val, range('val'));
    if (typeof decl.images === 'string') decl.images = this.recipe('data.images', decl.images, range('images'));
    return decl;
  }

  /** `--data PATH`: the set's format from its shape; the recipe's preprocessing and calib are kept. */
  dataFlag(path: string, recipe: DataDecl | undefined): DataDecl | undefined {
    for (const k of DATA_KEYS) this.at.delete(k);
    const kept = Object.fromEntries(Object.entries(recipe ?? {}).filter(([k]) => k === 'calib' || (PREPROCESS_OPTIONS as readonly string[]).includes(k)));
    const format = detectDataFormat(path, this.c);
    if (!format) {
      const there = this.c.host.real(resolve(path));
      const why = there ? 'not a data set lithe reads: give a COCO .json, a YOLO data.yaml, a VOC folder or a folder of images' : 'no such data set';
      this.c.emit(diag(there ? 'CMP3014' : 'CMP3013', `--data '${path}': ${why}`, NO_RANGE, there ? undefined : 'error'));
      return undefined;
    }
    this.given('data.path', path);
    return { ...kept, format, path };
  }

  /** Model, teachers and data: there, and in the form they should be. */
  check(plan: Plan): void {
    const model = this.at.get('model');
    if (model && plan.model?.path) checkModelFile('model file', model, this.c);
    for (const [name, ref] of Object.entries(plan.teachers)) {
      const at = this.at.get(`teacher:${name}`);
      if (at && ref.path) checkModelFile(`model file for teacher '${name}'`, at, this.c);
    }
    if (plan.data) checkDataFiles(plan.data, { path: this.at.get('data.path'), val: this.at.get('data.val'), images: this.at.get('data.images') }, this.c);
  }
}
