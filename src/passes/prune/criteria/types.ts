/** An importance criterion; scoring (`(group) → scores`) is added when pruning executes (issue 6). */
export interface Criterion {
  id: string;
  summary: string;
  /** Scores come from activations or gradients on data, so the recipe must declare `data`. */
  needsData: boolean;
}
