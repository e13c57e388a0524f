// CMP3002: a step names a scope that is neither built in nor declared.
import { nearest } from '../suggest.ts';
import { scopeRefs } from '../selector.ts';
import type { Rule, Report } from './types.ts';
import type { Range } from '../../lang/range.ts';

export function reportScope(name: string, scopes: ReadonlySet<string>, report: (f: { message: string; fix?: string; range?: Range }) => void, range?: Range): void {
  if (scopes.has(name)) return;
  const suggestion = nearest(name, scopes);
  const hint = suggestion ? `did you mean '${suggestion}'?` : `declare it: scope ${name} = "GLOB"`;
  report({ message: `undeclared scope '${name}'; ${hint}`, fix: suggestion, ...(range ? { range } : {}) });
}

export const rule: Rule = {
  id: 'undeclared-scope',
  summary: 'Scopes must be built in (all, backbone, neck, head) or declared with `scope NAME = ...`.',
  passes: ['prune', 'quantize', 'replace'],
  check(step, { scopes }, report: Report) {
    const scope = step.params.scope;
    if (typeof scope === 'string') reportScope(scope, scopes, (f) => report({ code: 'CMP3002', at: 'scope', ...f }));
    for (const [param, sel] of Object.entries(step.selectors)) {
      for (const ref of scopeRefs(sel)) {
        reportScope(ref.name.value, scopes, (f) => report({ code: 'CMP3002', at: param, ...f }), ref.range);
      }
    }
  },
};
