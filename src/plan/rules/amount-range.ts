// CMP2001, CMP2002, CMP2003, CMP1014: a pruning amount must remove something and keep something.
import type { Report, Rule } from './types.ts';
import { BOUNDS } from '../bounds.ts';

const GOALS = ['flops', 'latency', 'params'];

function fraction(v: unknown, what: string, report: Report): void {
  if (typeof v === 'number' && !Number.isNaN(v) && !(v > 0 && v < 1)) {
    report({ code: 'CMP2001', message: `${what} must be between 0 and 1 (exclusive), as in 0.5 or 50%; found ${v}`, at: 'amount' });
  }
}

export const rule: Rule = {
  id: 'amount-range',
  summary: 'A pruning amount is a fraction in (0, 1), `flops` takes a percentage below 100%, `params` a factor of at least 1x.',
  passes: ['prune'],
  check(step, _ctx, report) {
    const { amount } = step.params;
    if (typeof amount === 'number') return fraction(amount, 'the amount', report);
    if (!amount || typeof amount !== 'object') return;
    const [goal, v] = Object.entries(amount)[0] ?? [];
    if (goal === 'flops') fraction(v, 'the FLOPs to remove', report);
    else if (goal === 'latency_ms') return;
    else if (goal === 'params' || goal === 'latency') {
      if (typeof v === 'number' && !(v >= 1)) {
        report({ code: 'CMP2002', message: `${goal} ${v}x would grow the model: a reduction factor is at least 1x (3x = a third of the ${goal === 'params' ? 'parameters' : 'latency'})`, at: 'amount' });
      } else if (typeof v === 'number' && v > BOUNDS.params.max) {
        report({ code: 'CMP2003', message: `${goal} ${v}x: a reduction factor is at most ${BOUNDS.params.max}x`, at: 'amount' });
      }
    } else if (goal !== undefined) {
      const fix = GOALS.find((g) => g[0] === goal[0]);
      report({ code: 'CMP1014', message: `unknown pruning goal '${goal}'; use flops N%, params Nx, latency Nx or latency Nms`, at: step.ranges['amount.goal'] ? 'amount.goal' : 'amount', fix });
    }
  },
};
