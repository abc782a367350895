// Types for scripts/assemble-crc32c.mjs, which test/broker/record/crc32c.test.ts imports.

/** Assembles src/broker/record/crc32c.wat with wabt and returns the module as base64. */
export function assembleCrc32c(): Promise<string>;
