import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReviewLog, type ReviewEvent } from '../../src/store/review-log.js';
import { LogBuilder } from '../support/log-builder.js';
import { useTempDir } from '../support/temp-dir.js';
import { runKq } from './run-kq.js';

const at = (minute: number) => new Date(Date.UTC(2026, 2, 10, 9, minute));

function sampleLog(session = 's1') {
  const b = new LogBuilder(undefined, session);
  b.review('alpha', 3, at(0));
  b.undo(b.review('beta', 1, at(1)), at(2));
  b.bury('beta', at(3), at(600));
  return b;
}

describe('kq export and kq import', () => {
  const tempDir = useTempDir();
  const home = (name: string, events?: ReviewEvent[]) => {
    const dir = join(tempDir(), name);
    if (events) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'reviews.jsonl'), events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    }
    return { KQ_HOME: dir };
  };

  it('exports an empty array when there is no log, and creates nothing', () => {
    const env = home('empty');
    const run = runKq(['export'], { env });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([]);
    expect(existsSync(env.KQ_HOME)).toBe(false);
  });

  it('exports the log as a JSON array, to stdout or --out', () => {
    const events = sampleLog().events;
    const env = home('a', events);
    const stdout = runKq(['export'], { env });
    expect(stdout.status).toBe(0);
    expect(JSON.parse(stdout.stdout)).toEqual(events);
    const out = join(tempDir(), 'backup.json');
    const file = runKq(['export', '--out', out], { env });
    expect(file.status).toBe(0);
    expect(file.stderr).toContain(`exported 4 events to ${out}`);
    expect(readFileSync(out, 'utf8')).toBe(stdout.stdout);
  });

  it('merges by event id: a second import of the same file adds nothing', () => {
    const mine = sampleLog('s1');
    const theirs = sampleLog('s2'); // same ids (e1…e4) would collide, so give theirs fresh ids
    const renamed = theirs.events.map((e) => ({
      ...e,
      id: `other-${e.id}`,
      ...(e.type === 'undo' ? { undoes: `other-${e.undoes}` } : {}),
    }));
    const env = home('mine', mine.events);
    const out = join(tempDir(), 'theirs.json');
    runKq(['export', '--out', out], { env: home('theirs', [mine.events[0]!, ...renamed]) });

    const first = runKq(['import', out], { env });
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('imported 4 events, skipped 1 already in');
    const second = runKq(['import', out], { env });
    expect(second.stdout).toContain('imported 0 events, skipped 5');
    const log = ReviewLog.open(join(env.KQ_HOME, 'reviews.jsonl'));
    expect(log.events.map((e) => e.id)).toEqual([...mine.events.map((e) => e.id), ...renamed.map((e) => e.id)]);
  });

  it('imports a reviews.jsonl copied from another machine, into a fresh home', () => {
    const source = home('source', sampleLog().events);
    const env = home('fresh');
    const run = runKq(['import', join(source.KQ_HOME, 'reviews.jsonl')], { env });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('imported 4 events, skipped 0');
    expect(readFileSync(join(env.KQ_HOME, 'reviews.jsonl'), 'utf8')).toBe(
      readFileSync(join(source.KQ_HOME, 'reviews.jsonl'), 'utf8'),
    );
  });

  it('warns when a skipped event has the id of a different event in the log', () => {
    const mine = sampleLog();
    const env = home('mine', mine.events);
    const changed = mine.events.map((e, i) => (i === 0 ? { ...e, session: 'elsewhere' } : e));
    const file = join(tempDir(), 'changed.json');
    writeFileSync(file, JSON.stringify(changed));
    const run = runKq(['import', file], { env });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('1 skipped event had the id of a different event');
  });

  it.each([
    ['not JSON', '[{"type":', 'not valid JSON'],
    ['not an array', '{"type":"review"}', 'not a valid review event'],
    [
      'an invalid event',
      JSON.stringify([{ type: 'undo', id: 'x', at: 'later', session: 's', undoes: 'y' }]),
      'event 1 is not a valid review event: at',
    ],
  ])('exits 3 on a file that is %s and appends nothing', (_name, text, message) => {
    const mine = sampleLog();
    const env = home('mine', mine.events);
    const before = readFileSync(join(env.KQ_HOME, 'reviews.jsonl'));
    const file = join(tempDir(), 'bad.json');
    writeFileSync(file, text);
    const run = runKq(['import', file], { env });
    expect(run.status).toBe(3);
    expect(run.stderr).toContain(message);
    expect(readFileSync(join(env.KQ_HOME, 'reviews.jsonl'))).toEqual(before);
  });

  it('exits 2 when the file to import does not exist', () => {
    const run = runKq(['import', join(tempDir(), 'nope.json')], { env: home('mine') });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('cannot read');
  });
});
