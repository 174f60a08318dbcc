// Int8 quantisation with a rigorous error bound: the arithmetic that lets lore's vector index scan
// int8 codes instead of float32 vectors and still return exactly what the float32 scan returns.
//
// A vector x is stored as a scale s (max |x_i| / 127, a float32) and codes c (round(x_i / s), in
// -127..127), with two float32 norms rounded up: `residual` ≥ ||x − s·c|| and `norm` ≥ ||s·c||.
// For a query q of length 1 quantised the same way (s_q, c_q, r_q), Cauchy–Schwarz gives
//   |q·x − s_q·s_x·(c_q·c_x)| ≤ ||q||·r_x + r_q·||s_x·c_x||,
// so the integer dot product c_q·c_x bounds the true similarity on both sides. The residual
// x − s·c is quantised again (a second level) to narrow the bound for the few vectors it matters for.

import { type VectorKernel, vectorKernel } from "./kernel.js";

export interface Quantised {
  /** s: code × scale approximates the value (a float32; 0 for the zero vector). */
  readonly scale: number;
  /** An upper bound of ||x − s·c||. */
  readonly residual: number;
  /** An upper bound of ||s·c||. */
  readonly norm: number;
  /** Σ c_i, which the relaxed-SIMD kernel needs to undo its offset. */
  readonly codeSum: number;
}

/** The float32 at or above v (float32 rounding is to nearest; the factor covers its 2^-24 error). */
export const roundUp = (v: number): number => (v === 0 ? 0 : Math.fround(v * (1 + 2 ** -20)));

/**
 * Quantises the `n` float64 values at `xAt` in the kernel's memory (rows.wat does the arithmetic):
 * codes to `codesAt`, the errors x − s·c to `residualAt` unless it is 0, 32 bytes of scratch at
 * `resultAt`. Float64 sums of a few thousand squares are off by far less than roundUp's margin.
 */
export function quantiseAt(
  kernel: VectorKernel,
  xAt: number,
  n: number,
  codesAt: number,
  residualAt: number,
  resultAt: number,
): Quantised {
  kernel.quantise(xAt, n, codesAt, residualAt, resultAt);
  const [scale, errors, norm, codeSum] = new Float64Array(kernel.buffer(), resultAt, 4);
  return {
    scale: scale as number,
    residual: roundUp(Math.sqrt(errors as number)),
    norm: roundUp(Math.sqrt(norm as number)),
    codeSum: codeSum as number,
  };
}

/**
 * Quantises values held in JavaScript, through the kernel's memory from `at` (which must not hold
 * anything the caller still needs): codes into `codes`, the errors into `residualOut` when given.
 */
export function quantise(
  x: ArrayLike<number>,
  codes: Int8Array,
  residualOut?: Float64Array,
  kernel: VectorKernel = vectorKernel(),
  at = 0,
): Quantised {
  const n = x.length;
  const xAt = at;
  const residualAt = xAt + 8 * n;
  const resultAt = residualAt + 8 * n;
  const codesAt = resultAt + 32;
  kernel.reserve(codesAt + n);
  new Float64Array(kernel.buffer(), xAt, n).set(x);
  const result = quantiseAt(kernel, xAt, n, codesAt, residualOut ? residualAt : 0, resultAt);
  codes.set(new Int8Array(kernel.buffer(), codesAt, n));
  residualOut?.set(new Float64Array(kernel.buffer(), residualAt, n));
  return result;
}

/**
 * How far sqlite-vec's similarity may be from the real dot product of the float32 vectors it
 * holds: its float32 sum of 768–4096 squared differences (each distance² ≤ 4) is off by at most
 * n·2^-24·4 ≈ 2·10^-4 for n = 768, half that in similarity, plus the unit vectors' own rounding.
 * Bounds are widened by this (scaled to the dimension) so they hold for the similarity lore reports.
 */
export function computedSimilarityError(dimension: number): number {
  return ((dimension + 8) * 2 ** -24 * 4) / 2 + 1e-6;
}

/** ||q|| of a float32 unit vector is 1 within a few float32 ulps: bounds multiply by this. */
export const UNIT_NORM_SLACK = 1 + 1e-6;
