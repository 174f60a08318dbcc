;; Integer dot products of one int8 query with many int8 vectors: the scan of lore's vector index
;; (src/embedding/vector-index/). Portable WebAssembly SIMD: each 16 code bytes are widened to
;; 16-bit lanes and multiplied pairwise into 32-bit sums (i32x4.dot_i16x8_s). The caller lays the
;; query out once as 16-bit lanes (2 × stride bytes). Exact: codes lie in -127..127, and a sum of
;; fewer than 2^17 products of at most 127² fits in 32 bits.
;; Assembled by scripts/build-wasm.mjs into kernel-wasm.ts.
(module
  (memory (export "memory") 1)
  ;; dots(query, codes, count, stride, out): out[i] = query · codes[i] for `count` vectors of `stride`
  ;; bytes (a multiple of 64) stored one after another from `codes`. Eight accumulators, so that
  ;; the loop is bound by memory rather than by the latency of one long chain of additions. Returns
  ;; the checksum of the codes read: the sum, modulo 2^32, of their little-endian 32-bit words.
  (func (export "dots") (param $query i32) (param $codes i32) (param $count i32) (param $stride i32) (param $out i32) (result i32)
    (local $end i32) (local $vectorEnd i32) (local $q i32) (local $v v128) (local $sum v128) (local $check v128)
    (local $a0 v128) (local $b0 v128) (local $a1 v128) (local $b1 v128) (local $a2 v128) (local $b2 v128) (local $a3 v128) (local $b3 v128)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $vectors
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $b0 (v128.const i32x4 0 0 0 0))
        (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $b1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0))
        (local.set $b2 (v128.const i32x4 0 0 0 0))
        (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $b3 (v128.const i32x4 0 0 0 0))
        (local.set $q (local.get $query))
        (local.set $vectorEnd (i32.add (local.get $codes) (local.get $stride)))
        (loop $blocks
          (local.set $v (v128.load offset=0 (local.get $codes)))
          (local.set $check (i32x4.add (local.get $check) (local.get $v)))
          (local.set $a0 (i32x4.add (local.get $a0)
            (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v)) (v128.load offset=0 (local.get $q)))))
          (local.set $b0 (i32x4.add (local.get $b0)
            (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v)) (v128.load offset=16 (local.get $q)))))
          (local.set $v (v128.load offset=16 (local.get $codes)))
          (local.set $check (i32x4.add (local.get $check) (local.get $v)))
          (local.set $a1 (i32x4.add (local.get $a1)
            (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v)) (v128.load offset=32 (local.get $q)))))
          (local.set $b1 (i32x4.add (local.get $b1)
            (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v)) (v128.load offset=48 (local.get $q)))))
          (local.set $v (v128.load offset=32 (local.get $codes)))
          (local.set $check (i32x4.add (local.get $check) (local.get $v)))
          (local.set $a2 (i32x4.add (local.get $a2)
            (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v)) (v128.load offset=64 (local.get $q)))))
          (local.set $b2 (i32x4.add (local.get $b2)
            (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v)) (v128.load offset=80 (local.get $q)))))
          (local.set $v (v128.load offset=48 (local.get $codes)))
          (local.set $check (i32x4.add (local.get $check) (local.get $v)))
          (local.set $a3 (i32x4.add (local.get $a3)
            (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v)) (v128.load offset=96 (local.get $q)))))
          (local.set $b3 (i32x4.add (local.get $b3)
            (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v)) (v128.load offset=112 (local.get $q)))))
          (local.set $codes (i32.add (local.get $codes) (i32.const 64)))
          (local.set $q (i32.add (local.get $q) (i32.const 128)))
          (br_if $blocks (i32.lt_u (local.get $codes) (local.get $vectorEnd))))
        (local.set $sum (i32x4.add (i32x4.add (i32x4.add (local.get $a0) (local.get $b0)) (i32x4.add (local.get $a1) (local.get $b1)))
                              (i32x4.add (i32x4.add (local.get $a2) (local.get $b2)) (i32x4.add (local.get $a3) (local.get $b3)))))
        (i32.store (local.get $out)
          (i32.add
            (i32.add (i32x4.extract_lane 0 (local.get $sum)) (i32x4.extract_lane 1 (local.get $sum)))
            (i32.add (i32x4.extract_lane 2 (local.get $sum)) (i32x4.extract_lane 3 (local.get $sum)))))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $vectors)))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $check)) (i32x4.extract_lane 1 (local.get $check)))
      (i32.add (i32x4.extract_lane 2 (local.get $check)) (i32x4.extract_lane 3 (local.get $check))))))
