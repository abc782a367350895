import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { crc32c, crc32cImplementation, selectCrc32c } from '../../../src/broker/record/crc32c.js';
import { crc32cPortable } from '../../../src/broker/record/crc32c-portable.js';
import { CRC32C_WASM_BASE64 } from '../../../src/broker/record/crc32c-wasm.js';
import { assembleCrc32c } from '../../../scripts/assemble-crc32c.mjs';

/** Bit-at-a-time reference, the definition the table-driven version must agree with. */
function referenceCrc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const native = selectCrc32c(() => createRequire(import.meta.url)('@node-rs/crc32'));
const fallback = selectCrc32c(() => {
  throw new Error('no prebuilt binary for this platform');
});
const implementations = [
  ['native (@node-rs/crc32)', native.crc32c],
  ['portable (WebAssembly)', fallback.crc32c],
] as const;

describe('choosing the CRC-32C implementation', () => {
  it('uses the native module where its prebuilt binary loads (linux-x64 here and in CI)', () => {
    expect(native.name).toBe('native');
    expect(crc32cImplementation.name).toBe('native');
  });

  it('falls back to the portable WebAssembly loop when the native module cannot be loaded, saying why', () => {
    expect(fallback.name).toBe('portable');
    expect(fallback.crc32c).toBe(crc32cPortable);
    expect(fallback.fallbackReason).toBe('no prebuilt binary for this platform');
  });

  it('falls back when the native module loads but computes a wrong checksum', () => {
    const broken = selectCrc32c(() => ({ crc32c: () => 0 }));
    expect(broken.name).toBe('portable');
    expect(broken.fallbackReason).toMatch(/disagrees/);
  });

  it('gives the same results from both implementations on random buffers and sub-ranges', () => {
    for (let i = 0; i < 200; i++) {
      const bytes = randomBytes(Math.floor(Math.random() * 70_000));
      const start = Math.floor(Math.random() * (bytes.length + 1));
      const end = start + Math.floor(Math.random() * (bytes.length - start + 1));
      expect(native.crc32c(bytes)).toBe(fallback.crc32c(bytes));
      expect(native.crc32c(bytes, start, end)).toBe(fallback.crc32c(bytes, start, end));
    }
  });
});

describe.each(implementations)('crc32c, %s', (_implementation, crc32c) => {
  // Check value from the CRC catalogue and the iSCSI vectors of RFC 3720 appendix B.4.
  it.each([
    ['"123456789"', Buffer.from('123456789'), 0xe3069283],
    ['empty input', Buffer.alloc(0), 0x00000000],
    ['32 zero bytes', Buffer.alloc(32, 0x00), 0x8a9136aa],
    ['32 0xFF bytes', Buffer.alloc(32, 0xff), 0x62a8ab43],
    ['bytes 0..31 ascending', Buffer.from(Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e],
    ['bytes 31..0 descending', Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c],
  ])('matches the known vector for %s', (_name, input, expected) => {
    expect(crc32c(input)).toBe(expected);
  });

  it('agrees with the bit-at-a-time definition for any bytes and any sub-range', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const start = bytes.length === 0 ? 0 : a % (bytes.length + 1);
        const end = start + (b % (bytes.length - start + 1));
        expect(crc32c(bytes, start, end)).toBe(referenceCrc32c(bytes.subarray(start, end)));
      }),
    );
  });

  it('agrees across the 64 KiB input window the WebAssembly module reads through', () => {
    const big = Buffer.from(Array.from({ length: 200_003 }, (_, i) => (i * 2654435761) >>> 24));
    expect(crc32c(big)).toBe(referenceCrc32c(big));
    expect(crc32c(big, 65_530, 131_080)).toBe(referenceCrc32c(big.subarray(65_530, 131_080)));
  });
});

describe('the portable implementation', () => {
  it('embeds exactly the module assembled from crc32c.wat', async () => {
    expect(CRC32C_WASM_BASE64).toBe(await assembleCrc32c());
  });

  it('is what the record code uses when the native module is missing: same results as crc32c', () => {
    const bytes = randomBytes(4096);
    expect(crc32cPortable(bytes, 7, 4000)).toBe(crc32c(bytes, 7, 4000));
  });
});
