// Per-input-channel low-rank factorisation of a convolution kernel: what a depthwise k x k followed by a
// 1x1 conv can represent exactly. For input channel i the slice W[:, i] is a cout x k² matrix M; its best
// rank-r approximation Σ σ_j u_j v_jᵀ (Eckart–Young) gives r depthwise filters v_j and pointwise columns σ_j u_j.
// Rank 1 is DSConv's start; MBConv with expansion t holds rank t.

export interface Factors {
  /** Depthwise filters, [cin * rank, kn * kn]: channel i's j-th filter at row i * rank + j. */
  depthwise: Float32Array;
  /** Pointwise weights, [cout, cin * rank]. */
  pointwise: Float32Array;
  /** With moments: the RMS of each depthwise filter's output on the calibration windows, √(vᵀSv). */
  rms?: Float32Array;
}

/** The k x k kernel slice centred in (or cropped to) kn x kn. */
function resized(w: Float32Array, cout: number, cin: number, k: number, kn: number): Float32Array {
  const out = new Float32Array(cout * cin * kn * kn);
  const off = (kn - k) / 2;
  for (let oc = 0; oc < cout * cin; oc++) {
    for (let y = 0; y < kn; y++) {
      for (let x = 0; x < kn; x++) {
        const [sy, sx] = [y - off, x - off];
        if (sy >= 0 && sy < k && sx >= 0 && sx < k) out[(oc * kn + y) * kn + x] = w[(oc * k + sy) * k + sx]!;
      }
    }
  }
  return out;
}

/** Eigenvalues and eigenvectors (columns of `vectors`, n x n row-major) of the symmetric n x n matrix `a`, by
 * cyclic Jacobi rotations (n ≤ 49: exact and robust where eigenvalues repeat or vanish, unlike power iteration). */
function eigh(sym: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(sym);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) rotate(a, v, n, p, q);
  }
  return { values: Float64Array.from({ length: n }, (_, i) => a[i * n + i]!), vectors: v };
}

/** The top `rank` right singular vectors of M (rows × n, row-major): eigenvectors of MᵀM. */
function topVectors(m: Float64Array, rows: number, n: number, rank: number): Float64Array[] {
  const gram = new Float64Array(n * n);
  for (let r = 0; r < rows; r++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) gram[i * n + j]! += m[r * n + i]! * m[r * n + j]!;
  const { values, vectors } = eigh(gram, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => values[y]! - values[x]!);
  return order.slice(0, Math.min(rank, n)).map((c) => Float64Array.from({ length: n }, (_, i) => vectors[i * n + c]!));
}

/** S^(1/2) and S^(-1/2) of a second-moment matrix, with a ridge of 1e-3 of its mean eigenvalue (a window
 * direction the data never excites must not blow the inverse up). */
function roots(s: Float64Array, n: number): [Float64Array, Float64Array] {
  const { values, vectors } = eigh(s, n);
  const ridge = 1e-3 * values.reduce((a, b) => a + Math.max(b, 0), 0) / n + 1e-12;
  const [half, inv] = [new Float64Array(n * n), new Float64Array(n * n)];
  for (let c = 0; c < n; c++) {
    const d = Math.max(values[c]!, 0) + ridge;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const e = vectors[i * n + c]! * vectors[j * n + c]!;
        half[i * n + j]! += e * Math.sqrt(d);
        inv[i * n + j]! += e / Math.sqrt(d);
      }
    }
  }
  return [half, inv];
}

/** (rows x n) · (n x n). */
function times(m: Float64Array, rows: number, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) for (let k = 0; k < n; k++) { const x = m[r * n + k]!; if (x) for (let j = 0; j < n; j++) out[r * n + j]! += x * b[k * n + j]!; }
  return out;
}

/** One Jacobi rotation zeroing a[p][q] of the symmetric matrix a; v collects the rotations (columns: eigenvectors). */
function rotate(a: Float64Array, v: Float64Array, n: number, p: number, q: number): void {
  const apq = a[p * n + q]!;
  if (Math.abs(apq) < 1e-300) return;
  const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
  const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  for (let k = 0; k < n; k++) {
    const [akp, akq] = [a[k * n + p]!, a[k * n + q]!];
    a[k * n + p] = c * akp - s * akq;
    a[k * n + q] = s * akp + c * akq;
  }
  for (let k = 0; k < n; k++) {
    const [apk, aqk] = [a[p * n + k]!, a[q * n + k]!];
    a[p * n + k] = c * apk - s * aqk;
    a[q * n + k] = s * apk + c * aqk;
  }
  for (let k = 0; k < n; k++) {
    const [vkp, vkq] = [v[k * n + p]!, v[k * n + q]!];
    v[k * n + p] = c * vkp - s * vkq;
    v[k * n + q] = s * vkp + c * vkq;
  }
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!; return s; };

/** Factors of `w` ([cout, cin, k, k]) at kernel size `kn`, `rank` per input channel. Without `moments` the best
 * approximation of the weights (Eckart–Young); with each input channel's window moments S = E[p pᵀ], the best
 * approximation of the outputs, ‖(M − UVᵀ) S^½‖: the top eigenvectors q of S^½MᵀMS^½ give filters S^-½q and
 * columns MS^½q. Each depthwise filter has unit norm and is signed to sum to at least zero, so that on the
 * non-negative maps a ReLU-like layer feeds it, it mostly stays out of the block's inner activation. */
/** Offsets that keep the depthwise outputs out of the inner activation's bend: each filter's output shifted
 * up by `k` RMS (the BN after it adds it), and the pointwise layer's bias less what the shift adds, so the block
 * still computes the factorisation (exactly, where the shifted output stays positive). */
export function offsets(f: Factors, cout: number, k = 2): { shift: Float32Array; bias: Float32Array } | undefined {
  if (!f.rms) return undefined;
  const rows = f.rms.length;
  const shift = f.rms.map((r) => k * r);
  const bias = new Float32Array(cout);
  for (let o = 0; o < cout; o++) for (let r = 0; r < rows; r++) bias[o]! -= f.pointwise[o * rows + r]! * shift[r]!;
  return { shift, bias };
}

export function factorize(w: Float32Array, cout: number, cin: number, k: number, kn: number, rank: number, moments?: readonly Float64Array[]): Factors {
  const kk = kn * kn;
  const full = kn === k ? w : resized(w, cout, cin, k, kn);
  const depthwise = new Float32Array(cin * rank * kk);
  const pointwise = new Float32Array(cout * cin * rank);
  const rms = moments ? new Float32Array(cin * rank) : undefined;
  for (let i = 0; i < cin; i++) {
    const m = new Float64Array(cout * kk);
    for (let o = 0; o < cout; o++) for (let t = 0; t < kk; t++) m[o * kk + t] = full[(o * cin + i) * kk + t]!;
    const [half, inv] = moments?.[i] ? roots(moments[i]!, kk) : [undefined, undefined];
    const a = half ? times(m, cout, half, kk) : m;
    topVectors(a, cout, kk, rank).forEach((q, j) => {
      const v = inv ? times(q, 1, inv, kk) : q; // S^-½ is symmetric: qᵀS^-½ = (S^-½q)ᵀ
      // unit output RMS on the data where it is known (weights of balanced sizes train evenly), else unit norm
      const norm = (moments ? Math.sqrt(Math.max(0, dot(v, times(v, 1, moments[i]!, kk)))) : Math.hypot(...v)) || 1;
      const sign = v.reduce((x, y) => x + y, 0) < 0 ? -1 : 1;
      const row = i * rank + j;
      for (let t = 0; t < kk; t++) depthwise[row * kk + t] = (sign * v[t]!) / norm;
      for (let o = 0; o < cout; o++) pointwise[o * cin * rank + row] = sign * norm * dot(a.subarray(o * kk, (o + 1) * kk), q);
      if (rms) rms[row] = Math.sqrt(Math.max(0, dot(v, times(v, 1, moments![i]!, kk)))) / norm;
    });
  }
  return { depthwise, pointwise, ...(rms && { rms }) };
}
