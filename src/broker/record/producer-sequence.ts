/**
 * Sequence arithmetic of idempotent producers (Kafka's DefaultRecordBatch.incrementSequence/decrementSequence):
 * sequences are non-negative Int32s that wrap from Int32 max back to 0, so a producer never runs out.
 */
export const MAX_SEQUENCE = 0x7fffffff;

export function incrementSequence(sequence: number, increment: number): number {
  if (sequence > MAX_SEQUENCE - increment) return increment - (MAX_SEQUENCE - sequence) - 1;
  return sequence + increment;
}

export function decrementSequence(sequence: number, decrement: number): number {
  if (sequence < decrement) return MAX_SEQUENCE - (decrement - sequence) + 1;
  return sequence - decrement;
}

/** `next` directly follows `last`, across the wrap too (Kafka's ProducerAppendInfo.inSequence). */
export function inSequence(last: number, next: number): boolean {
  return next === last + 1 || (next === 0 && last === MAX_SEQUENCE);
}
