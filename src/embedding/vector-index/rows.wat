;; The per-row work of the vector index, beside the dot-product kernel (dots-*.wat) and on the
;; same memory, which it imports: quantisation, checksums, each row's similarity interval, selection
;; of the rows above a threshold, and the float dot products of the rows refined. In WebAssembly
;; because a search runs it once per process, over 200,000 rows, before JavaScript's optimising
;; compilers have had a look at it (the same loops interpreted cost tens of milliseconds), and
;; because building an index quantises 300 million values.
;; Assembled by scripts/build-wasm.mjs into kernel-wasm.ts.
(module
  (import "kernel" "memory" (memory 1))

  ;; checksum(at, bytes): the sum modulo 2^32 of the little-endian 32-bit words of `bytes` bytes (a
  ;; multiple of 16) from `at`.
  (func (export "checksum") (param $at i32) (param $bytes i32) (result i32)
    (local $end i32) (local $sum v128)
    (local.set $end (i32.add (local.get $at) (local.get $bytes)))
    (block $done
      (loop $words
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $sum (i32x4.add (local.get $sum) (v128.load (local.get $at))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $words)))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $sum)) (i32x4.extract_lane 1 (local.get $sum)))
      (i32.add (i32x4.extract_lane 2 (local.get $sum)) (i32x4.extract_lane 3 (local.get $sum)))))

  ;; bounds(...): for each of `count` rows, with dot = dots[i] - offset × codeSums[i] (the relaxed
  ;; kernel's offset), estimate = qScale × scales[i] × dot and
  ;; width = residuals[i] × unitSlack + qResidual × norms[i] + slack, writes lo[i] = estimate - width
  ;; and hi[i] = estimate + width (f64), and counts lo in `hist`: 4,096 i32 bins of 1/1024 from -2.
  (func (export "bounds")
    (param $count i32) (param $dots i32) (param $codeSums i32) (param $offset i32)
    (param $scales i32) (param $residuals i32) (param $norms i32)
    (param $qScale f64) (param $qResidual f64) (param $unitSlack f64) (param $slack f64)
    (param $lo i32) (param $hi i32) (param $hist i32)
    (local $i i32) (local $four i32) (local $eight i32) (local $estimate f64) (local $width f64)
    (local $low f64) (local $bin i32)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $four (i32.shl (local.get $i) (i32.const 2)))
        (local.set $eight (i32.shl (local.get $i) (i32.const 3)))
        (local.set $estimate
          (f64.mul
            (f64.mul (local.get $qScale) (f64.promote_f32 (f32.load (i32.add (local.get $scales) (local.get $four)))))
            (f64.convert_i32_s
              (i32.sub
                (i32.load (i32.add (local.get $dots) (local.get $four)))
                (i32.mul (local.get $offset) (i32.load (i32.add (local.get $codeSums) (local.get $four))))))))
        (local.set $width
          (f64.add
            (f64.add
              (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $residuals) (local.get $four)))) (local.get $unitSlack))
              (f64.mul (local.get $qResidual) (f64.promote_f32 (f32.load (i32.add (local.get $norms) (local.get $four))))))
            (local.get $slack)))
        (local.set $low (f64.sub (local.get $estimate) (local.get $width)))
        (f64.store (i32.add (local.get $lo) (local.get $eight)) (local.get $low))
        (f64.store (i32.add (local.get $hi) (local.get $eight)) (f64.add (local.get $estimate) (local.get $width)))
        (local.set $bin
          (i32.trunc_sat_f64_s (f64.floor (f64.mul (f64.add (local.get $low) (f64.const 2)) (f64.const 1024)))))
        (if (i32.lt_s (local.get $bin) (i32.const 0)) (then (local.set $bin (i32.const 0))))
        (if (i32.gt_s (local.get $bin) (i32.const 4095)) (then (local.set $bin (i32.const 4095))))
        (local.set $bin (i32.add (local.get $hist) (i32.shl (local.get $bin) (i32.const 2))))
        (i32.store (local.get $bin) (i32.add (i32.load (local.get $bin)) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; collect(values, count, threshold, out): writes the indices i of the f64 values[i] >= threshold
  ;; to `out` (i32), in order, and returns how many there are.
  (func (export "collect") (param $values i32) (param $count i32) (param $threshold f64) (param $out i32) (result i32)
    (local $i i32) (local $n i32)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (if (f64.ge (f64.load (i32.add (local.get $values) (i32.shl (local.get $i) (i32.const 3)))) (local.get $threshold))
          (then
            (i32.store (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))) (local.get $i))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
    (local.get $n))

  ;; dotF32I8(query, codes, n): Σ query[i] × codes[i] in f64, for n f32 query values and i8 codes.
  (func (export "dotF32I8") (param $query i32) (param $codes i32) (param $n i32) (result f64)
    (local $i i32) (local $sum f64)
    (block $done
      (loop $terms
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $sum
          (f64.add (local.get $sum)
            (f64.mul
              (f64.promote_f32 (f32.load (i32.add (local.get $query) (i32.shl (local.get $i) (i32.const 2)))))
              (f64.convert_i32_s (i32.load8_s (i32.add (local.get $codes) (local.get $i)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $terms)))
    (local.get $sum))

  ;; widen(from, to, n): n f32 values at `from` as f64 at `to`.
  (func (export "widen") (param $from i32) (param $to i32) (param $n i32)
    (local $i i32)
    (block $done
      (loop $values
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (f64.store (i32.add (local.get $to) (i32.shl (local.get $i) (i32.const 3)))
          (f64.promote_f32 (f32.load (i32.add (local.get $from) (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $values))))

  ;; quantise(x, n, codes, residual, result): see quantise.ts. For the n f64 values at `x`, with
  ;; scale = f32(max |x_i| / 127), writes the codes round(x_i × (1 / scale)) clamped to -127..127
  ;; (i8; any integer code keeps the bounds exact, as they are computed from the code written) to
  ;; `codes`, the errors x_i - scale × code (f64) to `residual` unless it is 0, and four f64 to
  ;; `result`: scale, Σ error², Σ (scale × code)², Σ code.
  (func (export "quantise") (param $x i32) (param $n i32) (param $codes i32) (param $residual i32) (param $result i32)
    (local $i i32) (local $max f64) (local $scale f64) (local $value f64) (local $code f64)
    (local $approximation f64) (local $error f64) (local $errors f64) (local $norm f64) (local $sum f64)
    (local $inverse f64)
    (block $done
      (loop $values
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        ;; select, not f64.max: no NaN or -0 to care for, and far fewer instructions.
        (local.set $value (f64.abs (f64.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3))))))
        (local.set $max (select (local.get $value) (local.get $max) (f64.gt (local.get $value) (local.get $max))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $values)))
    (local.set $scale (f64.promote_f32 (f32.demote_f64 (f64.div (local.get $max) (f64.const 127)))))
    (if (f64.gt (local.get $scale) (f64.const 0))
      (then (local.set $inverse (f64.div (f64.const 1) (local.get $scale)))))
    (local.set $i (i32.const 0))
    (block $done
      (loop $values
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $value (f64.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $code (f64.nearest (f64.mul (local.get $value) (local.get $inverse))))
        (local.set $code (select (f64.const 127) (local.get $code) (f64.gt (local.get $code) (f64.const 127))))
        (local.set $code (select (f64.const -127) (local.get $code) (f64.lt (local.get $code) (f64.const -127))))
        (i32.store8 (i32.add (local.get $codes) (local.get $i)) (i32.trunc_f64_s (local.get $code)))
        (local.set $sum (f64.add (local.get $sum) (local.get $code)))
        (local.set $approximation (f64.mul (local.get $scale) (local.get $code)))
        (local.set $error (f64.sub (local.get $value) (local.get $approximation)))
        (if (local.get $residual)
          (then (f64.store (i32.add (local.get $residual) (i32.shl (local.get $i) (i32.const 3))) (local.get $error))))
        (local.set $errors (f64.add (local.get $errors) (f64.mul (local.get $error) (local.get $error))))
        (local.set $norm (f64.add (local.get $norm) (f64.mul (local.get $approximation) (local.get $approximation))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $values)))
    (f64.store (local.get $result) (local.get $scale))
    (f64.store offset=8 (local.get $result) (local.get $errors))
    (f64.store offset=16 (local.get $result) (local.get $norm))
    (f64.store offset=24 (local.get $result) (local.get $sum))))
