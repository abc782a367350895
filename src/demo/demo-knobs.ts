/**
 * Turns `--set name=value` assignments into a demo's knob values: each value is parsed by the type of the knob's
 * default (number, boolean, string) and checked against its choices or range. Anything wrong is a KnobError, which
 * the CLI reports as a usage error naming the valid knobs or values.
 */
import { suggestion } from '../text/suggestion.js';
import type { DemoDefinition, Knob, KnobValue } from './demo-definition.js';

export class KnobError extends Error {}

export function resolveKnobs(demo: DemoDefinition, assignments: readonly string[]): Record<string, KnobValue> {
  const knobs = demo.knobs as Record<string, Knob>;
  const values: Record<string, KnobValue> = Object.fromEntries(
    Object.entries(knobs).map(([name, knob]) => [name, knob.default]),
  );
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) throw new KnobError(`--set takes name=value, got '${assignment}'`);
    const name = assignment.slice(0, eq).trim();
    const raw = assignment.slice(eq + 1).trim();
    const knob = knobs[name];
    const names = Object.keys(knobs);
    if (!knob)
      throw new KnobError(
        names.length === 0
          ? `demo ${demo.id} has no knobs`
          : `demo ${demo.id} has no knob '${name}'; ${suggestion(name, names)} (knobs: ${names.join(', ')})`,
      );
    values[name] = parseKnob(name, knob, raw);
  }
  return values;
}

function parseKnob(name: string, knob: Knob, raw: string): KnobValue {
  let value: KnobValue;
  if (typeof knob.default === 'number') {
    value = Number(raw);
    if (raw === '' || !Number.isFinite(value)) throw new KnobError(`${name} takes a number, got '${raw}'`);
    if ((knob.min !== undefined && value < knob.min) || (knob.max !== undefined && value > knob.max))
      throw new KnobError(`${name} must be in ${knob.min ?? '-∞'}..${knob.max ?? '∞'}, got ${raw}`);
  } else if (typeof knob.default === 'boolean') {
    if (raw !== 'true' && raw !== 'false') throw new KnobError(`${name} takes true or false, got '${raw}'`);
    value = raw === 'true';
  } else {
    value = raw;
  }
  if (knob.choices && !knob.choices.includes(value))
    throw new KnobError(`${name} must be one of ${knob.choices.join(', ')}, got '${raw}'`);
  return value;
}

/** `name=value (default d): about` lines, for `kq demo <id> --knobs` and usage errors. */
export function describeKnobs(demo: DemoDefinition, lang: 'zh' | 'en'): string[] {
  return Object.entries(demo.knobs as Record<string, Knob>).map(
    ([name, knob]) =>
      `${name}=${String(knob.default)}${knob.choices ? ` (${knob.choices.join('|')})` : ''} — ${knob.about[lang]}`,
  );
}
