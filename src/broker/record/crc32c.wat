(module
  ;; CRC-32C slice-by-8, the checksum of every magic-2 RecordBatch (see crc32c.ts for why it is WebAssembly).
  ;; Assembled by `node scripts/assemble-crc32c.mjs` into crc32c-wasm.ts; a test checks they match.
  ;; Memory: bytes 0..8191 hold eight 256-entry u32 tables (slice-by-8), filled by the host;
  ;; bytes 8192..(8192+65536) are the input window the host copies data into.
  (memory (export "memory") 2)
  (func (export "update") (param $crc i32) (param $len i32) (result i32)
    (local $p i32) (local $end i32) (local $lo i32) (local $hi i32)
    (local.set $p (i32.const 8192))
    (local.set $end (i32.add (i32.const 8192) (local.get $len)))
    (block $done8
      (loop $loop8
        (br_if $done8 (i32.lt_u (i32.sub (local.get $end) (local.get $p)) (i32.const 8)))
        (local.set $lo (i32.xor (local.get $crc) (i32.load (local.get $p))))
        (local.set $hi (i32.load offset=4 (local.get $p)))
        (local.set $crc
          (i32.xor
            (i32.xor
              (i32.xor
                (i32.load offset=7168 (i32.shl (i32.and (local.get $lo) (i32.const 255)) (i32.const 2)))
                (i32.load offset=6144 (i32.shl (i32.and (i32.shr_u (local.get $lo) (i32.const 8)) (i32.const 255)) (i32.const 2))))
              (i32.xor
                (i32.load offset=5120 (i32.shl (i32.and (i32.shr_u (local.get $lo) (i32.const 16)) (i32.const 255)) (i32.const 2)))
                (i32.load offset=4096 (i32.shl (i32.shr_u (local.get $lo) (i32.const 24)) (i32.const 2)))))
            (i32.xor
              (i32.xor
                (i32.load offset=3072 (i32.shl (i32.and (local.get $hi) (i32.const 255)) (i32.const 2)))
                (i32.load offset=2048 (i32.shl (i32.and (i32.shr_u (local.get $hi) (i32.const 8)) (i32.const 255)) (i32.const 2))))
              (i32.xor
                (i32.load offset=1024 (i32.shl (i32.and (i32.shr_u (local.get $hi) (i32.const 16)) (i32.const 255)) (i32.const 2)))
                (i32.load (i32.shl (i32.shr_u (local.get $hi) (i32.const 24)) (i32.const 2)))))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $loop8)))
    (block $done1
      (loop $loop1
        (br_if $done1 (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $crc
          (i32.xor
            (i32.shr_u (local.get $crc) (i32.const 8))
            (i32.load (i32.shl (i32.and (i32.xor (local.get $crc) (i32.load8_u (local.get $p))) (i32.const 255)) (i32.const 2)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $loop1)))
    (local.get $crc)))
