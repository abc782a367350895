import { CRC32C_WASM_BASE64 } from './crc32c-wasm.js';

/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the portable implementation: the one `crc32c.ts` falls
 * back to when the hardware-accelerated native module cannot be loaded (no prebuilt binary for the platform).
 *
 * Slice-by-8 (eight 256-entry tables, eight bytes per step) in WebAssembly (crc32c.wat). Why: the broker
 * checksums every produced batch, and profiling kcat producing 100 MB put CRC first; Kafka uses the CPU's CRC32C
 * instruction (java.util.zip.CRC32C), which Node 20 does not expose. The same loop in JavaScript ran at
 * ~0.6–0.9 GB/s here; in WebAssembly, without a bounds check per table lookup, ~1.6–1.7 GB/s.
 *
 * The host builds the tables into the module's memory once and copies input through a 64 KiB window.
 * Pure function; the module's memory is private to this file and the event loop runs one call at a time.
 */

const POLYNOMIAL = 0x82f63b78;
const TABLES_BYTES = 8 * 256 * 4;
const WINDOW_BYTES = 64 * 1024;

// Node has WebAssembly, but the ES lib and @types/node declare no types for it: the little used here, by hand.
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => {
    exports: { memory: { buffer: ArrayBuffer }; update(crc: number, length: number): number };
  };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
const exports = new wasm.Instance(new wasm.Module(Buffer.from(CRC32C_WASM_BASE64, 'base64'))).exports;
const memory = new Uint8Array(exports.memory.buffer);
buildTables(new Int32Array(exports.memory.buffer, 0, TABLES_BYTES / 4));

/** Table k maps a byte to its CRC contribution when followed by k zero bytes (k = 0..7). */
function buildTables(tables: Int32Array): void {
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
    tables[n] = c;
  }
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      const previous = tables[(k - 1) * 256 + n]!;
      tables[k * 256 + n] = (previous >>> 8) ^ tables[previous & 0xff]!;
    }
  }
}

/** CRC-32C of `bytes[start, end)`. Returns an unsigned 32-bit number. */
export function crc32cPortable(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = -1;
  for (let at = start; at < end; at += WINDOW_BYTES) {
    const length = Math.min(WINDOW_BYTES, end - at);
    memory.set(bytes.subarray(at, at + length), TABLES_BYTES);
    crc = exports.update(crc, length);
  }
  return (crc ^ -1) >>> 0;
}
