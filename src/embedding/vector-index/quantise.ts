// Int8 quantisation with a rigorous error bound: the arithmetic that lets lore's vector index scan
// int8 codes instead of float32 vectors and still return exactly what the float32 scan returns.
//
// A vector x is stored as a scale s (max |x_i| / 127, a float32) and codes c (round(x_i / s), in
// -127..127), with two float32 norms rounded up: `residual` ≥ ||x − s·c|| and `norm` ≥ ||s·c||.
// For a query q of length 1 quantised the same way (s_q, c_q, r_q), Cauchy–Schwarz gives
//   |q·x − s_q·s_x·(c_q·c_x)| ≤ ||q||·r_x + r_q·||s_x·c_x||,
// so the integer dot product c_q·c_x bounds the true similarity on both sides. The residual
// x − s·c is quantised again (a second level) to narrow the bound for the few vectors it matters for.

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

export const MAX_CODE = 127;

/** The float32 at or above v (float32 rounding is to nearest; the factor covers its 2^-24 error). */
export const roundUp = (v: number): number => (v === 0 ? 0 : Math.fround(v * (1 + 2 ** -20)));

/**
 * Writes the codes of `x` into `codes` (its first x.length entries; the rest are left as they are)
 * and returns the scale and the bounds. `residualOut`, when given, receives x − s·c (float64).
 */
export function quantise(x: ArrayLike<number>, codes: Int8Array, residualOut?: Float64Array): Quantised {
  let max = 0;
  for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i] as number));
  const scale = Math.fround(max / MAX_CODE);
  let residual = 0;
  let norm = 0;
  let codeSum = 0;
  for (let i = 0; i < x.length; i++) {
    const value = x[i] as number;
    const code = scale === 0 ? 0 : Math.max(-MAX_CODE, Math.min(MAX_CODE, Math.round(value / scale)));
    codes[i] = code;
    codeSum += code;
    const approximation = scale * code;
    const error = value - approximation;
    if (residualOut) residualOut[i] = error;
    residual += error * error;
    norm += approximation * approximation;
  }
  // Float64 sums of at most a few thousand squares are off by far less than the 2^-20 margin.
  return { scale, residual: roundUp(Math.sqrt(residual)), norm: roundUp(Math.sqrt(norm)), codeSum };
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
