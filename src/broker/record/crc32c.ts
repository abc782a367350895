/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of a magic-2 RecordBatch.
 *
 * Slice-by-8: eight 256-entry tables let the loop consume eight bytes per step instead of one,
 * which matters because the broker checksums every produced batch and every batch it recovers
 * after a crash. Kafka uses java.util.zip.CRC32C (hardware-assisted); this is the portable
 * equivalent. Pure function, no shared mutable state after the tables are built at load time.
 */

const POLYNOMIAL = 0x82f63b78;

const TABLES: Uint32Array[] = buildTables();

function buildTables(): Uint32Array[] {
  const tables: Uint32Array[] = [];
  const first = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
    first[n] = c >>> 0;
  }
  tables.push(first);
  // Table k maps a byte to its CRC contribution when followed by k zero bytes.
  for (let k = 1; k < 8; k++) {
    const previous = tables[k - 1] as Uint32Array;
    const table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      const p = previous[n] as number;
      table[n] = ((p >>> 8) ^ (first[p & 0xff] as number)) >>> 0;
    }
    tables.push(table);
  }
  return tables;
}

const [T0, T1, T2, T3, T4, T5, T6, T7] = TABLES as [
  Uint32Array, Uint32Array, Uint32Array, Uint32Array,
  Uint32Array, Uint32Array, Uint32Array, Uint32Array,
];

/** CRC-32C of `bytes[start, end)`. Returns an unsigned 32-bit number. */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffffffff;
  let i = start;
  // Indexing typed arrays with in-range integers never yields undefined; the casts keep
  // noUncheckedIndexedAccess quiet without a per-byte branch in the hot loop.
  while (end - i >= 8) {
    const lo = (crc ^ ((bytes[i] as number) | ((bytes[i + 1] as number) << 8) |
      ((bytes[i + 2] as number) << 16) | ((bytes[i + 3] as number) << 24))) >>> 0;
    crc =
      (T7[lo & 0xff] as number) ^
      (T6[(lo >>> 8) & 0xff] as number) ^
      (T5[(lo >>> 16) & 0xff] as number) ^
      (T4[lo >>> 24] as number) ^
      (T3[bytes[i + 4] as number] as number) ^
      (T2[bytes[i + 5] as number] as number) ^
      (T1[bytes[i + 6] as number] as number) ^
      (T0[bytes[i + 7] as number] as number);
    i += 8;
  }
  while (i < end) {
    crc = (crc >>> 8) ^ (T0[(crc ^ (bytes[i] as number)) & 0xff] as number);
    i++;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
