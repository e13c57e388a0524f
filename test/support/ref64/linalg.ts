// Gemm and MatMul (numpy semantics: 1-D operands, broadcast batch axes).
import { broadcastIndex, broadcastShape, size, type Op } from './tensor.ts';

export const Gemm: Op = ([a, b, c], at) => {
  const ta = at.int('transA', 0) === 1, tb = at.int('transB', 0) === 1, alpha = at.float('alpha', 1), beta = at.float('beta', 1);
  const [M, K] = ta ? [a!.dims[1]!, a!.dims[0]!] : [a!.dims[0]!, a!.dims[1]!], N = tb ? b!.dims[0]! : b!.dims[1]!;
  const A = a!.data, B = b!.data, y = { dims: [M, N], data: new Float64Array(M * N) }, Y = y.data;
  // strides of A[m, k] and B[k, n] in the stored layouts
  const [am, ak] = ta ? [1, M] : [K, 1], [bk, bn] = tb ? [1, K] : [N, 1];
  const ic = c ? broadcastIndex([M, N], c.dims) : undefined;
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += A[m * am + k * ak]! * B[k * bk + n * bn]!;
      Y[m * N + n] = alpha * s + (c ? beta * c.data[ic![m * N + n]!]! : 0);
    }
  }
  return [y];
};

export const MatMul: Op = ([a, b]) => {
  const ad = a!.dims.length === 1 ? [1, a!.dims[0]!] : a!.dims, bd = b!.dims.length === 1 ? [b!.dims[0]!, 1] : b!.dims;
  const M = ad[ad.length - 2]!, K = ad[ad.length - 1]!, N = bd[bd.length - 1]!;
  if (bd[bd.length - 2] !== K) throw new Error(`MatMul: [${a!.dims}] x [${b!.dims}]`);
  const batch = broadcastShape(ad.slice(0, -2), bd.slice(0, -2)), nb = size(batch);
  const ia = broadcastIndex(batch, ad.slice(0, -2)), ib = broadcastIndex(batch, bd.slice(0, -2));
  const A = a!.data, B = b!.data, Y = new Float64Array(nb * M * N);
  for (let t = 0; t < nb; t++) {
    const ao = ia[t]! * M * K, bo = ib[t]! * K * N, yo = t * M * N;
    for (let m = 0; m < M; m++) {
      for (let n = 0; n < N; n++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += A[ao + m * K + k]! * B[bo + k * N + n]!;
        Y[yo + m * N + n] = s;
      }
    }
  }
  const dims = [...batch, ...(a!.dims.length === 1 ? [] : [M]), ...(b!.dims.length === 1 ? [] : [N])];
  return [{ dims, data: Y }];
};
