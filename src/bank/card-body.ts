/**
 * Splits a card's Markdown body into its language blocks (`# 中文`, `# English`) and their `##` sections,
 * so the quiz, `kq show --json` and `kq validate` can pull out the question, answer, key points and the rest
 * by name. Headings inside fenced code blocks are text, not structure.
 */
export const BODY_LANGS = ['zh', 'en'] as const;
export type BodyLang = (typeof BODY_LANGS)[number];

export const LANGUAGE_HEADINGS: Record<BodyLang, string> = { zh: '中文', en: 'English' };

export const SECTION_KEYS = ['question', 'answer', 'keyPoints', 'probes', 'followUps', 'versionNotes'] as const;
export type SectionKey = (typeof SECTION_KEYS)[number];

export const SECTION_HEADINGS: Record<BodyLang, Record<SectionKey, string>> = {
  zh: {
    question: '问题',
    answer: '答案',
    keyPoints: '要点',
    probes: '面试官想考察什么',
    followUps: '追问',
    versionNotes: '版本说明',
  },
  en: {
    question: 'Question',
    answer: 'Answer',
    keyPoints: 'Key points',
    probes: 'What the interviewer probes for',
    followUps: 'Follow-up questions',
    versionNotes: 'Version notes',
  },
};

export interface BodySection {
  /** Markdown between this heading and the next, trimmed. */
  text: string;
  /** 1-based line of the `##` heading in the card file. */
  line: number;
}

export interface BodyProblem {
  line: number;
  message: string;
}

export type LanguageBlock = Partial<Record<SectionKey, BodySection>> & { line: number };

export interface ParsedBody {
  blocks: Partial<Record<BodyLang, LanguageBlock>>;
  problems: BodyProblem[];
}

const FENCE = /^\s*(```|~~~)/;

/** `firstLine` is the file line number of the body's first line, so problems point into the file. */
export function parseCardBody(body: string, firstLine: number): ParsedBody {
  const lines = body.split(/\r?\n/);
  const blocks: ParsedBody['blocks'] = {};
  const problems: BodyProblem[] = [];
  let lang: BodyLang | undefined;
  let section: { key: SectionKey; line: number; start: number } | undefined;
  let inFence = false;

  const closeSection = (endIndex: number) => {
    if (lang && section) {
      blocks[lang]![section.key] = { text: lines.slice(section.start, endIndex).join('\n').trim(), line: section.line };
    }
    section = undefined;
  };

  lines.forEach((raw, index) => {
    const line = firstLine + index;
    if (FENCE.test(raw)) inFence = !inFence;
    if (inFence) return;
    const h1 = /^#\s+(.+?)\s*$/.exec(raw);
    if (h1) {
      closeSection(index);
      const found = BODY_LANGS.find((l) => LANGUAGE_HEADINGS[l] === h1[1]);
      if (!found) {
        problems.push({ line, message: `unknown language heading '# ${h1[1]}'; expected '# 中文' or '# English'` });
        lang = undefined;
      } else if (blocks[found]) {
        problems.push({ line, message: `language block '# ${h1[1]}' appears twice` });
        lang = undefined;
      } else {
        lang = found;
        blocks[found] = { line };
      }
      return;
    }
    const h2 = /^##\s+(.+?)\s*$/.exec(raw);
    if (h2) {
      closeSection(index);
      if (!lang) {
        problems.push({ line, message: `section '## ${h2[1]}' is outside a language block ('# 中文' or '# English')` });
        return;
      }
      const headings = SECTION_HEADINGS[lang];
      const key = SECTION_KEYS.find((k) => headings[k] === h2[1]);
      if (!key) {
        const valid = SECTION_KEYS.map((k) => headings[k]).join(', ');
        problems.push({ line, message: `unknown section '## ${h2[1]}' in the ${lang} block; valid: ${valid}` });
      } else if (blocks[lang]![key]) {
        problems.push({ line, message: `section '## ${h2[1]}' appears twice in the ${lang} block` });
      } else {
        section = { key, line, start: index + 1 };
      }
      return;
    }
    if (!lang && raw.trim() !== '') {
      problems.push({ line, message: "text before the first language block; start the body with '# 中文'" });
    }
  });
  if (inFence) problems.push({ line: firstLine + lines.length - 1, message: 'a fenced code block is never closed' });
  closeSection(lines.length);
  return { blocks, problems };
}

/** The items of a Markdown bullet list (`-`, `*` or `1.`), continuation lines joined. */
export function listItems(markdown: string): string[] {
  const items: string[] = [];
  for (const raw of markdown.split(/\r?\n/)) {
    const item = /^\s{0,3}(?:[-*+]|\d+[.)])\s+(.*)$/.exec(raw);
    if (item) items.push(item[1]!.trim());
    else if (raw.trim() !== '' && items.length > 0) items[items.length - 1] += ` ${raw.trim()}`;
  }
  return items;
}
