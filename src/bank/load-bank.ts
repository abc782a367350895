import matter from 'gray-matter';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { CardFrontMatter } from './card-schema.js';
import {
  BODY_LANGS,
  LANGUAGE_HEADINGS,
  SECTION_HEADINGS,
  listItems,
  parseCardBody,
  type BodyLang,
} from './card-body.js';
import type { BankLocation } from './bank-location.js';
import { lineOfPath } from './yaml-lines.js';

/** One card's text in one language, pulled out of its body by section. */
export interface CardText {
  question: string;
  answer: string;
  keyPoints: string[];
  probes: string;
  followUps: string;
  /** Present when the card's answer changed across Kafka releases. */
  versionNotes?: string;
}

/** A card that passed every per-file check: its front matter plus its text in both languages. */
export interface Card {
  meta: CardFrontMatter;
  /** Path relative to the bank root, as problems name it (`questions/acks-levels.md`). */
  file: string;
  text: Record<BodyLang, CardText>;
  /** The raw YAML, kept so bank-wide checks can point at the line of a field. */
  frontMatter: string;
}

/**
 * A problem `kq validate` reports as `file:line: message`. `pending` marks what is expected to be missing
 * for now (a demo not written yet): reported, but only `--strict` fails on it.
 */
export interface BankProblem {
  file: string;
  line: number;
  message: string;
  severity: 'error' | 'pending';
}

export interface Bank {
  cards: Card[];
  problems: BankProblem[];
}

const MIN_KEY_POINTS = 3;
const MAX_KEY_POINTS = 6;

/** Documents that live beside the cards and are not cards: upper-case names (README.md, GLOSSARY.md). */
const BANK_DOCS = /^[A-Z][A-Z0-9_-]*\.md$/;

/**
 * Reads every `questions/*.md` (the upper-case docs beside the cards, README.md and GLOSSARY.md, aside). A malformed card is reported and skipped, so one bad file
 * never hides the others from `list`, `show` or the quiz. Cards come back sorted by id.
 */
export function loadBank(location: BankLocation): Bank {
  const cards: Card[] = [];
  const problems: BankProblem[] = [];
  const files = readdirSync(location.questionsDir)
    .filter((name) => name.endsWith('.md') && !BANK_DOCS.test(name))
    .sort();
  const seen = new Map<string, string>();
  for (const name of files) {
    const path = join(location.questionsDir, name);
    const file = relative(location.root, path);
    const result = parseCardFile(readFileSync(path, 'utf8'), file, basename(name, '.md'));
    problems.push(...result.problems);
    if (!result.card) continue;
    const first = seen.get(result.card.meta.id);
    if (first) {
      problems.push({
        file,
        line: 2,
        message: `duplicate id '${result.card.meta.id}' (also in ${first})`,
        severity: 'error',
      });
      continue;
    }
    seen.set(result.card.meta.id, file);
    cards.push(result.card);
  }
  cards.sort((a, b) => a.meta.id.localeCompare(b.meta.id));
  return { cards, problems };
}

/** Parses one card file; returns the card only when the file has no error. */
export function parseCardFile(
  source: string,
  file: string,
  expectedId: string,
): { card?: Card; problems: BankProblem[] } {
  const problems: BankProblem[] = [];
  const error = (line: number, message: string) => problems.push({ file, line, message, severity: 'error' });

  if (!/^---\r?\n/.test(source)) {
    error(1, "no front matter: a card starts with a '---' line, its YAML, and another '---' line");
    return { problems };
  }
  let parsed: matter.GrayMatterFile<string>;
  try {
    // A fresh options object: gray-matter caches results by content only when called without options.
    parsed = matter(source, {});
  } catch (cause) {
    const mark = (cause as { mark?: { line?: number } }).mark;
    const reason = (cause as { reason?: string }).reason ?? (cause as Error).message;
    error(mark?.line !== undefined ? mark.line + 2 : 1, `front matter is not valid YAML: ${reason}`);
    return { problems };
  }
  const yamlFirstLine = 2;
  const yaml = parsed.matter.replace(/^\r?\n/, '');
  const bodyFirstLine = yamlFirstLine + yaml.split(/\r?\n/).length + 1;

  const meta = CardFrontMatter.safeParse(parsed.data);
  if (!meta.success) {
    for (const issue of meta.error.issues) {
      // zod reports unknown keys on their parent; point at each key itself
      const located =
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((key) => ({
              path: [...issue.path, key],
              message: 'unknown field (see questions/README.md for the fields)',
            }))
          : [{ path: issue.path, message: issue.message }];
      for (const { path, message } of located) {
        const where = path.length > 0 ? `${path.join('.')}: ` : '';
        error(lineOfPath(yaml, path, yamlFirstLine), `front matter ${where}${message}`);
      }
    }
    return { problems };
  }
  if (meta.data.id !== expectedId) {
    error(
      lineOfPath(yaml, ['id'], yamlFirstLine),
      `id '${meta.data.id}' differs from the file name '${expectedId}.md'`,
    );
  }

  const body = parseCardBody(parsed.content, bodyFirstLine);
  for (const p of body.problems) error(p.line, p.message);

  const text: Partial<Record<BodyLang, CardText>> = {};
  for (const lang of BODY_LANGS) {
    const block = body.blocks[lang];
    if (!block) {
      error(bodyFirstLine, `missing language block '# ${LANGUAGE_HEADINGS[lang]}'`);
      continue;
    }
    const headings = SECTION_HEADINGS[lang];
    const required = ['question', 'answer', 'keyPoints', 'probes', 'followUps'] as const;
    for (const key of required) {
      if (!block[key]?.text) error(block.line, `the ${lang} block needs a non-empty '## ${headings[key]}' section`);
    }
    const keyPoints = listItems(block.keyPoints?.text ?? '');
    if (block.keyPoints?.text && (keyPoints.length < MIN_KEY_POINTS || keyPoints.length > MAX_KEY_POINTS)) {
      error(
        block.keyPoints.line,
        `'## ${headings.keyPoints}' needs ${MIN_KEY_POINTS}–${MAX_KEY_POINTS} bullet points, has ${keyPoints.length}`,
      );
    }
    if (meta.data.versions.length > 0 && !block.versionNotes?.text) {
      error(
        block.line,
        `the front matter lists versions, so the ${lang} block needs a '## ${headings.versionNotes}' section`,
      );
    }
    if (meta.data.type === 'gap' && block.question && !block.question.text.includes('____')) {
      error(block.question.line, `a gap card's question needs a blank written as ____`);
    }
    text[lang] = {
      question: block.question?.text ?? '',
      answer: block.answer?.text ?? '',
      keyPoints,
      probes: block.probes?.text ?? '',
      followUps: block.followUps?.text ?? '',
      ...(block.versionNotes ? { versionNotes: block.versionNotes.text } : {}),
    };
  }
  if (problems.length > 0) return { problems };
  return { card: { meta: meta.data, file, text: text as Record<BodyLang, CardText>, frontMatter: yaml }, problems };
}
