import type { BodyLang } from '../bank/card-body.js';
import type { CardType } from '../bank/card-schema.js';
import type { Rating } from '../srs/fsrs-scheduler.js';
import type { DemoRun } from './demo-launcher.js';

/**
 * Every human string the quiz says about itself (prompts, hints, help, notes, errors, the summary), one table
 * per language, so both front ends speak the session's language and switch with it. Card text is not here:
 * it comes from the bank. Machine-readable tokens of plain mode (`card`, `graded`, `rated`, `undone`,
 * `summary <key>`, `error`, `help:`) stay in the front ends and never change with the language.
 *
 * Chinese keeps FSRS/Anki's rating names beside their Chinese labels (重来/困难/良好/简单), so a learner who reads
 * the FSRS docs in English recognises them.
 */
/** Everything a quiz key can do; the ink app's key map (src/tui/key-map.ts) binds keys to these. */
export type KeyAction =
  | 'reveal'
  | 'skipPrediction'
  | 'cursorUp'
  | 'cursorDown'
  | 'pickCursor'
  | 'pickLetter'
  | 'toggleCursor'
  | 'toggleLetter'
  | 'submitMarks'
  | 'rate'
  | 'takeSuggested'
  | 'scrollUp'
  | 'scrollDown'
  | 'pageUp'
  | 'pageDown'
  | 'typeText'
  | 'deleteChar'
  | 'submitGap'
  | 'giveUp'
  | 'undo'
  | 'bury'
  | 'suspend'
  | 'demo'
  | 'language'
  | 'help'
  | 'quit'
  | 'sections'
  | 'closePanel'
  | 'knobs'
  | 'runWithKnobs';

export interface UiText {
  /** A rating as shown on a button or in a note: `Good` / `良好(Good)`. */
  rating: Record<Rating, string>;
  /** The same, for a rating bar that would not fit a narrow terminal with the full names: `良好`. */
  ratingShort: Record<Rating, string>;
  /** The language a switch went to, in its own words. */
  languageSwitched: (lang: BodyLang) => string;

  // what just happened (the ink app's message line)
  graded: (correct: boolean) => string;
  rated: (cardId: string, rating: string, interval: string | null) => string;
  undone: (cardId: string) => string;
  buried: (cardId: string) => string;
  suspended: (cardId: string) => string;
  runningDemo: (demoId: string) => string;
  demoResult: (demoId: string, run: Pick<DemoRun, 'status' | 'exitCode'>) => string;
  nothingToReview: string;
  nothingToReviewNow: string;

  // nudges when a key does not fit the card
  revealFirst: string;
  markFirst: string;
  rateWhich: string;

  // the ink app's chrome
  header: (parts: {
    mode: string | null;
    id: string;
    type: CardType;
    isNew: boolean;
    /** Cards not yet shown this session, and cards coming back for a learning step. */
    fresh: number;
    returning: number;
  }) => string;
  answerPrompt: string;
  /** Beside the learner's choice, and above a typed gap answer, once the card is graded. */
  yourPick: string;
  yourAnswer: string;
  enterTakes: (rating: Rating) => string;
  scrollHint: (above: number, below: number) => string;
  /** A predict card's demo, beside the prediction: heading, then what the outcome means for the grade. */
  observed: {
    heading: (demoId: string, kafka: boolean) => string;
    running: string;
    proven: (letter: string, correct: boolean) => string;
    notProven: string;
    failed: string;
    missing: string;
  };
  /** `kq interview`'s prompts and chrome. */
  interview: {
    answerPrompt: string;
    checkPrompt: string;
    checkError: (count: number) => string;
    followUpPrompt: string;
    header: (index: number, total: number, seconds: number) => string;
    answerHint: string;
    checkHint: string;
    probeHint: string;
    keyPointsTitle: string;
    reportTitle: string;
    weak: (tags: readonly string[]) => string;
    timeUp: string;
  };
  /** The knobs panel: its title, the typing prompt, and when a demo has none. */
  knobsPanel: { title: (demoId: string) => string; prompt: string; none: (demoId: string) => string };
  /** The demo panel's first row. */
  demoPanelTitle: (demoId: string, lines: number) => string;
  /** What each key does, as the footer names it after the key (`B bury`). */
  keyActions: Record<KeyAction, string>;
  /** Said when a lower-case command letter is pressed: commands are upper case. */
  commandsAreUpperCase: (letter: string) => string;
  helpTitle: string;
  helpKeys: ReadonlyArray<readonly [key: string, what: string]>;

  // plain mode's prose (after the `> ` and `help: ` markers)
  prompts: Record<CardType, string>;
  ratePrompt: (choices: string, suggested: Rating | null) => string;
  plainBuried: string;
  plainHelp: readonly string[];

  // errors, phrased for the learner (QuizInputError, PickError)
  errors: {
    unknownCommand: (command: string) => string;
    rateWith: (hasSuggestion: boolean) => string;
    revealFirstPlain: string;
    answerFirst: string;
    emptyLineReveals: string;
    typeAnswerOrEmpty: string;
    typeAnswer: string;
    noChoices: string;
    notGap: string;
    pickOne: (last: string) => string;
    pickEvery: (last: string) => string;
    pickLetter: (last: string) => string;
    notAChoice: (letter: string, last: string) => string;
    oneRightAnswer: (last: string) => string;
    revealThenRate: string;
    nothingToUndo: string;
    sessionOver: string;
    alreadyAnswered: string;
  };

  // the session summary (ink view and plain `summary` lines)
  summary: {
    title: string;
    /** Label column of the ink view; each label is followed by its value. */
    labels: { reviewed: string; again: string; time: string; nextDue: string; newWaiting: string };
    again: (percent: number, again: number, ratings: number) => string;
    /** Values beside the ink view's labels. */
    view: {
      reviewed: (cards: number, ratings: number) => string;
      noneScheduled: string;
      newWaiting: (count: number) => string;
    };
    /** Values after plain mode's `summary <key>`: they name what the number counts, as there is no label. */
    plain: { reviewed: (cards: number, ratings: number) => string; noneScheduled: string; newWaiting: string };
  };

  // durations: "3m 05s" / "3分05秒", "in 10m" / "10 分钟后"
  elapsed: {
    seconds: (s: number) => string;
    minutes: (m: number, s: string) => string;
    hours: (h: number, m: string) => string;
  };
  until: { now: string; minutes: (n: number) => string; hours: (n: number) => string; days: (n: number) => string };
}

const EN: UiText = {
  rating: { 1: 'Again', 2: 'Hard', 3: 'Good', 4: 'Easy' },
  ratingShort: { 1: 'Again', 2: 'Hard', 3: 'Good', 4: 'Easy' },
  languageSwitched: (lang) => `language: ${lang === 'zh' ? '中文' : 'English'}`,

  graded: (correct) => (correct ? 'correct — Enter takes Good, or rate 1–4' : 'wrong — Enter takes Again, or rate 1–4'),
  rated: (cardId, rating, interval) => `rated ${cardId} ${rating}${interval ? ` · next in ${interval}` : ''}`,
  undone: (cardId) => `undone ${cardId}`,
  buried: (cardId) => `buried ${cardId} until tomorrow (04:00)`,
  suspended: (cardId) => `suspended ${cardId}`,
  runningDemo: (demoId) => `running demo ${demoId}…`,
  demoResult: (demoId, run) =>
    run.status === 'missing'
      ? `demo ${demoId} is not written yet`
      : run.status === 'passed'
        ? `demo ${demoId} finished`
        : `demo ${demoId} failed (exit ${run.exitCode ?? 'error'}); run \`kq demo ${demoId}\` to see it alone`,
  nothingToReview: 'nothing to review',
  nothingToReviewNow: 'nothing to review now',

  revealFirst: 'reveal the answer first (Space or Enter), then rate 1–4',
  markFirst: 'mark at least one choice (letters or Space), then Enter',
  rateWhich: 'rate 1 Again, 2 Hard, 3 Good or 4 Easy',

  header: ({ mode, id, type, isNew, fresh, returning }) =>
    `kq quiz${mode ? ` (${mode})` : ''} · ${id} · ${type}${isNew ? ' · new' : ''} · ${fresh} more after this${returning > 0 ? ` · ${returning} coming back` : ''}`,
  answerPrompt: 'answer: ',
  yourPick: '← your pick',
  yourAnswer: 'Your answer',
  enterTakes: (rating) => `Enter takes ${rating}`,
  demoPanelTitle: (demoId, lines) => `── demo ${demoId}: its whole output, ${lines} lines ──`,
  knobsPanel: {
    title: (demoId) => `── what-if knobs of demo ${demoId} (knob=value, default first, choices in brackets) ──`,
    prompt: 'set (e.g. acks=1 linger.ms=5): ',
    none: (demoId) => `demo ${demoId} has no knobs (or is not written yet)`,
  },
  interview: {
    answerPrompt: 'answer in your own words, as in an interview; an empty line if you only thought it through',
    checkPrompt: "which key points did your answer cover? their numbers (e.g. '1 3'), 'all' or 'none'",
    checkError: (count) => `give key point numbers from 1 to ${count}, 'all' or 'none'`,
    followUpPrompt: 'the interviewer follows up: answer it (any line moves on)',
    header: (index, total, seconds) => `kq interview · question ${index} of ${total} · ${seconds}s`,
    answerHint: 'type your answer · Enter done (empty: only thought through) · Esc quit',
    checkHint: '1–9 or ↑↓ Space tick what you covered · Enter confirm',
    probeHint: 'Enter next question · Esc quit',
    keyPointsTitle: 'Key points: tick those your answer covered, honestly',
    reportTitle: 'Interview report',
    weak: (tags) => (tags.length > 0 ? `weak topics: ${tags.join(', ')}` : 'no weak topic'),
    timeUp: 'time is up',
  },
  observed: {
    heading: (demoId, kafka) => `What happened (demo ${demoId}, on ${kafka ? 'Apache Kafka' : "kq's broker"})`,
    running: 'running the demo to see what the broker does…',
    proven: (letter, correct) =>
      `the demo proved ${letter}) happened: your prediction was ${correct ? 'right' : 'wrong'}`,
    notProven: "the demo did NOT show the card's answer; nothing observed to grade by (the card's key is used)",
    failed: "the demo could not run; nothing observed to grade by (the card's key is used)",
    missing: "this card's demo is not written yet (the card's key is used)",
  },
  scrollHint: (above, below) =>
    `── ${above > 0 ? `↑ ${above} more ` : ''}${below > 0 ? `↓ ${below} more ` : ''}(↑/↓, PgUp/PgDn scroll) ──`,
  keyActions: {
    reveal: 'reveal',
    skipPrediction: 'reveal without guessing',
    cursorUp: 'move',
    cursorDown: 'move',
    pickCursor: 'pick',
    pickLetter: 'pick',
    toggleCursor: 'mark',
    toggleLetter: 'mark',
    submitMarks: 'submit',
    rate: 'rate',
    takeSuggested: 'take suggestion',
    scrollUp: 'scroll',
    scrollDown: 'scroll',
    pageUp: 'page up',
    pageDown: 'page down',
    typeText: 'type the answer',
    deleteChar: 'delete',
    submitGap: 'submit',
    giveUp: 'give up',
    undo: 'undo',
    bury: 'bury',
    suspend: 'suspend',
    demo: 'demo',
    language: 'language',
    help: 'help',
    quit: 'quit',
    sections: 'interview notes',
    closePanel: 'back to the card',
    knobs: 'what-if knobs',
    runWithKnobs: 'run the demo with them',
  },
  commandsAreUpperCase: (letter) =>
    `'${letter}' is no choice here; commands are upper case (${letter.toUpperCase()}), lower-case letters pick choices`,
  helpTitle: 'Keys',
  helpKeys: [
    ['Space / Enter', 'reveal the answer of an open card (Space on a predict card: reveal without guessing)'],
    ['↑ ↓ or a–z', 'move to / pick a choice (multi: letters or Space mark, Enter submits)'],
    ['typing, Enter', 'answer a gap card (Esc gives up)'],
    ['1 2 3 4', 'rate Again / Hard / Good / Easy (the interval is shown beside each)'],
    ['Enter', 'take the suggested rating after grading'],
    ['↑ ↓ PgUp PgDn', 'scroll a long answer'],
    ['U', 'undo the last rating, bury or suspend'],
    ['B', 'bury the card until tomorrow (04:00)'],
    ['S', 'suspend the card'],
    ['D', "run the card's demo; its whole output opens in a panel (↑↓ PgUp PgDn scroll, Esc back)"],
    ['K', "the demo's what-if knobs: type knob=value settings, Enter runs the demo with them"],
    ['I', 'after the answer: what the interviewer probes for, follow-ups, version notes'],
    ['L', 'switch language 中文 / English'],
    ['?', 'close this help'],
    ['Q / Ctrl+C', 'quit with a session summary'],
    ['a–z vs A–Z', 'lower-case letters pick choices, upper-case letters are commands, in every state'],
  ],

  prompts: {
    open: 'think of your answer; empty line reveals it',
    predict: 'predict: pick one letter (empty line reveals without guessing)',
    choice: 'pick one letter',
    multi: "pick every right letter, e.g. 'ac'",
    gap: 'type the missing words',
  },
  ratePrompt: (choices, suggested) => `rate ${choices}${suggested ? ` (empty line takes ${suggested})` : ''}`,
  plainBuried: 'until the next study day',
  plainHelp: [
    'empty line reveals the answer (open, predict) or takes the suggested rating',
    '1 Again · 2 Hard · 3 Good · 4 Easy rate the card once it is answered',
    "letters pick choices ('a', or 'ac' on a multi card); on a gap card type the answer",
    ':u undo the last rating · :b bury until tomorrow · :s suspend · :d run the demo · :l switch language · :q quit',
    ":k the demo's what-if knobs · :d knob=value … run the demo with them",
  ],

  errors: {
    unknownCommand: (command) => `unknown command '${command}'; commands: :u :b :s :d :k :l :? :q`,
    rateWith: (hasSuggestion) => `rate with 1–4${hasSuggestion ? ', or an empty line for the suggested rating' : ''}`,
    revealFirstPlain: 'reveal the answer first (empty line), then rate 1–4',
    answerFirst: 'answer first, then rate 1–4',
    emptyLineReveals: 'an empty line reveals the answer',
    typeAnswerOrEmpty: 'type your answer (an empty answer counts as wrong)',
    typeAnswer: 'type your answer',
    noChoices: 'this card has no choices; reveal it first',
    notGap: 'this is not a gap card',
    pickOne: (last) => `pick one letter a–${last}`,
    pickEvery: (last) => `pick every right letter, e.g. 'ac' (a–${last})`,
    pickLetter: (last) => `pick a letter a–${last}`,
    notAChoice: (letter, last) => `'${letter}' is not a choice; pick a letter a–${last}`,
    oneRightAnswer: (last) => `this card has one right answer; pick one letter a–${last}`,
    revealThenRate: 'reveal the answer first (Enter), then rate 1–4',
    nothingToUndo: 'nothing to undo in this session',
    sessionOver: 'the session is over',
    alreadyAnswered: 'already answered: rate 1–4 (Enter takes the suggestion)',
  },

  summary: {
    title: 'Session summary',
    labels: {
      reviewed: 'cards reviewed',
      again: 'rated Again',
      time: 'time spent',
      nextDue: 'next card due',
      newWaiting: 'new cards',
    },
    again: (percent, again, ratings) => `${percent}% (${again} of ${ratings})`,
    view: {
      reviewed: (cards, ratings) => `${cards} (${ratings} rating${ratings === 1 ? '' : 's'})`,
      noneScheduled: 'none scheduled',
      newWaiting: (count) => `${count} waiting for the next days`,
    },
    plain: {
      reviewed: (cards, ratings) =>
        `${cards} card${cards === 1 ? '' : 's'}, ${ratings} rating${ratings === 1 ? '' : 's'}`,
      noneScheduled: 'none (no reviewed card is scheduled)',
      newWaiting: '(held back by the daily new-card limit)',
    },
  },

  elapsed: { seconds: (s) => `${s}s`, minutes: (m, s) => `${m}m ${s}s`, hours: (h, m) => `${h}h ${m}m` },
  until: { now: 'now', minutes: (n) => `in ${n}m`, hours: (n) => `in ${n}h`, days: (n) => `in ${n}d` },
};

const ZH: UiText = {
  rating: { 1: '重来(Again)', 2: '困难(Hard)', 3: '良好(Good)', 4: '简单(Easy)' },
  ratingShort: { 1: '重来', 2: '困难', 3: '良好', 4: '简单' },
  languageSwitched: (lang) => `语言：${lang === 'zh' ? '中文' : 'English'}`,

  graded: (correct) =>
    correct ? '答对了 — Enter 评为良好(Good)，或按 1–4 评分' : '答错了 — Enter 评为重来(Again)，或按 1–4 评分',
  rated: (cardId, rating, interval) => `已评分 ${cardId}：${rating}${interval ? ` · ${interval} 后再复习` : ''}`,
  undone: (cardId) => `已撤销 ${cardId}`,
  buried: (cardId) => `已搁置 ${cardId}，明天（04:00）再出现`,
  suspended: (cardId) => `已暂停 ${cardId}`,
  runningDemo: (demoId) => `正在运行演示 ${demoId}…`,
  demoResult: (demoId, run) =>
    run.status === 'missing'
      ? `演示 ${demoId} 还没有写好`
      : run.status === 'passed'
        ? `演示 ${demoId} 已运行完毕`
        : `演示 ${demoId} 失败（退出码 ${run.exitCode ?? '无'}）；单独运行 \`kq demo ${demoId}\` 查看`,
  nothingToReview: '没有要复习的卡片',
  nothingToReviewNow: '现在没有要复习的卡片',

  revealFirst: '请先显示答案（Space 或 Enter），再按 1–4 评分',
  markFirst: '请至少标记一个选项（字母或 Space），再按 Enter',
  rateWhich: '请评分：1 重来(Again)、2 困难(Hard)、3 良好(Good) 或 4 简单(Easy)',

  header: ({ mode, id, type, isNew, fresh, returning }) =>
    `kq quiz${mode ? ` (${mode})` : ''} · ${id} · ${type}${isNew ? ' · 新卡' : ''} · 之后还有 ${fresh} 张${returning > 0 ? ` · ${returning} 张稍后回来` : ''}`,
  answerPrompt: '答案：',
  yourPick: '← 你的选择',
  yourAnswer: '你的答案',
  enterTakes: (rating) => `Enter 选 ${rating}`,
  demoPanelTitle: (demoId, lines) => `── 演示 ${demoId} 的完整输出，共 ${lines} 行 ──`,
  knobsPanel: {
    title: (demoId) => `── 演示 ${demoId} 的假设旋钮（knob=默认值，括号里是可选值）──`,
    prompt: '设置（如 acks=1 linger.ms=5）：',
    none: (demoId) => `演示 ${demoId} 没有旋钮（或还没有写好）`,
  },
  interview: {
    answerPrompt: '像面试时一样用自己的话回答；只在心里想过就输入空行',
    checkPrompt: "你的回答覆盖了哪些要点？输入编号（如 '1 3'）、'all' 或 'none'",
    checkError: (count) => `请输入 1 到 ${count} 的要点编号，或 'all'、'none'`,
    followUpPrompt: '面试官追问：请回答（任意一行继续）',
    header: (index, total, seconds) => `kq interview · 第 ${index}/${total} 题 · ${seconds}秒`,
    answerHint: '输入回答 · Enter 完成（空：只在心里想过）· Esc 退出',
    checkHint: '1–9 或 ↑↓ Space 勾选覆盖的要点 · Enter 确认',
    probeHint: 'Enter 下一题 · Esc 退出',
    keyPointsTitle: '要点：如实勾选你的回答覆盖了的',
    reportTitle: '面试小结',
    weak: (tags) => (tags.length > 0 ? `薄弱主题：${tags.join('、')}` : '没有薄弱主题'),
    timeUp: '时间到',
  },
  observed: {
    heading: (demoId, kafka) =>
      `实际发生了什么（演示 ${demoId}，运行在${kafka ? ' Apache Kafka ' : ' kq 的 broker '}上）`,
    running: '正在运行演示，看 broker 实际怎么做…',
    proven: (letter, correct) => `演示证明发生的是 ${letter})：你的预测${correct ? '对了' : '错了'}`,
    notProven: '演示没有得出卡片的答案；没有可据以判分的观察结果（按卡片答案判分）',
    failed: '演示无法运行；没有可据以判分的观察结果（按卡片答案判分）',
    missing: '这张卡片的演示还没有写好（按卡片答案判分）',
  },
  scrollHint: (above, below) =>
    `── ${[above > 0 ? `↑ 上方还有 ${above} 行` : '', below > 0 ? `↓ 下方还有 ${below} 行` : ''].filter(Boolean).join(' ')}（↑/↓、PgUp/PgDn 滚动）──`,
  keyActions: {
    reveal: '显示答案',
    skipPrediction: '不猜，直接看答案',
    cursorUp: '移动',
    cursorDown: '移动',
    pickCursor: '选择',
    pickLetter: '选择',
    toggleCursor: '标记',
    toggleLetter: '标记',
    submitMarks: '提交',
    rate: '评分',
    takeSuggested: '采用建议',
    scrollUp: '滚动',
    scrollDown: '滚动',
    pageUp: '上一页',
    pageDown: '下一页',
    typeText: '输入答案',
    deleteChar: '删除',
    submitGap: '提交',
    giveUp: '放弃',
    undo: '撤销',
    bury: '搁置',
    suspend: '暂停',
    demo: '演示',
    language: '语言',
    help: '帮助',
    quit: '退出',
    sections: '面试要点',
    closePanel: '回到卡片',
    knobs: '假设旋钮',
    runWithKnobs: '用这些设置运行演示',
  },
  commandsAreUpperCase: (letter) =>
    `'${letter}' 在这里不是选项；命令用大写字母（${letter.toUpperCase()}），小写字母用来选择选项`,
  helpTitle: '按键',
  helpKeys: [
    ['Space / Enter', '显示问答卡的答案（预测卡上按 Space：不猜，直接看答案）'],
    ['↑ ↓ or a–z', '移到 / 选中一个选项（多选卡：字母或 Space 标记，Enter 提交）'],
    ['输入, Enter', '回答填空卡（Esc 放弃）'],
    ['1 2 3 4', '评分 重来/困难/良好/简单 (Again/Hard/Good/Easy)，旁边是下次间隔'],
    ['Enter', '判分后采用建议的评分'],
    ['↑ ↓ PgUp PgDn', '滚动较长的答案'],
    ['U', '撤销上一次评分、搁置或暂停'],
    ['B', '搁置这张卡片到明天（04:00）'],
    ['S', '暂停这张卡片'],
    ['D', '运行这张卡片的演示；完整输出显示在面板里（↑↓ PgUp PgDn 滚动，Esc 返回）'],
    ['K', '演示的假设旋钮：输入 knob=value，Enter 用这些设置运行演示'],
    ['I', '看完答案后：面试官想考察什么、追问、版本说明'],
    ['L', '切换语言 中文 / English'],
    ['?', '关闭帮助'],
    ['Q / Ctrl+C', '退出并显示本次小结'],
    ['a–z 与 A–Z', '任何时候：小写字母选择选项，大写字母是命令'],
  ],

  prompts: {
    open: '先想好你的答案；空行显示答案',
    predict: '预测：选一个字母（空行不猜，直接看答案）',
    choice: '选一个字母',
    multi: "选出所有正确的字母，例如 'ac'",
    gap: '输入缺少的词',
  },
  ratePrompt: (choices, suggested) => `评分 ${choices}${suggested ? `（空行选 ${suggested}）` : ''}`,
  plainBuried: '到下一个学习日',
  plainHelp: [
    '空行：显示答案（问答卡、预测卡），或采用建议的评分',
    '1 重来(Again) · 2 困难(Hard) · 3 良好(Good) · 4 简单(Easy)：作答后给卡片评分',
    "字母选择选项（'a'，多选卡如 'ac'）；填空卡直接输入答案",
    ':u 撤销上一次评分 · :b 搁置到明天 · :s 暂停 · :d 运行演示 · :l 切换语言 · :q 退出',
    ':k 演示的假设旋钮 · :d knob=value … 用这些设置运行演示',
  ],

  errors: {
    unknownCommand: (command) => `未知命令 '${command}'；可用命令：:u :b :s :d :k :l :? :q`,
    rateWith: (hasSuggestion) => `请用 1–4 评分${hasSuggestion ? '，或输入空行采用建议的评分' : ''}`,
    revealFirstPlain: '请先显示答案（空行），再按 1–4 评分',
    answerFirst: '请先作答，再按 1–4 评分',
    emptyLineReveals: '输入空行显示答案',
    typeAnswerOrEmpty: '请输入你的答案（空答案算答错）',
    typeAnswer: '请输入你的答案',
    noChoices: '这张卡片没有选项；请先显示答案',
    notGap: '这不是填空卡',
    pickOne: (last) => `请选一个字母 a–${last}`,
    pickEvery: (last) => `请选出所有正确的字母，例如 'ac'（a–${last}）`,
    pickLetter: (last) => `请选一个字母 a–${last}`,
    notAChoice: (letter, last) => `'${letter}' 不是选项；请选一个字母 a–${last}`,
    oneRightAnswer: (last) => `这张卡片只有一个正确答案；请选一个字母 a–${last}`,
    revealThenRate: '请先显示答案（Enter），再按 1–4 评分',
    nothingToUndo: '本次没有可以撤销的评分、搁置或暂停',
    sessionOver: '本次复习已结束',
    alreadyAnswered: '已经作答：请按 1–4 评分（Enter 采用建议）',
  },

  summary: {
    title: '本次小结',
    labels: { reviewed: '复习卡片', again: '评为重来', time: '用时', nextDue: '下一张到期', newWaiting: '新卡' },
    again: (percent, again, ratings) => `${percent}%（${ratings} 次评分中 ${again} 次）`,
    view: {
      reviewed: (cards, ratings) => `${cards} 张（${ratings} 次评分）`,
      noneScheduled: '暂无安排',
      newWaiting: (count) => `${count} 张，留待之后几天`,
    },
    plain: {
      reviewed: (cards, ratings) => `${cards} 张卡片，${ratings} 次评分`,
      noneScheduled: '无（复习过的卡片都没有排期）',
      newWaiting: '（受每日新卡上限限制，留待之后几天）',
    },
  },

  elapsed: { seconds: (s) => `${s}秒`, minutes: (m, s) => `${m}分${s}秒`, hours: (h, m) => `${h}小时${m}分` },
  until: { now: '现在', minutes: (n) => `${n} 分钟后`, hours: (n) => `${n} 小时后`, days: (n) => `${n} 天后` },
};

export const UI_TEXT: Record<BodyLang, UiText> = { en: EN, zh: ZH };

/** A message that can be said in either language: the front end picks the table when it draws. */
export type Phrase = (text: UiText) => string;

/**
 * An error whose message is a Phrase, so a front end can show it in the session's current language.
 * `message` is the English text, for logs and for callers that do not localise.
 */
export class PhrasedError extends Error {
  constructor(readonly phrase: Phrase) {
    super(phrase(EN));
  }

  messageIn(lang: BodyLang): string {
    return this.phrase(UI_TEXT[lang]);
  }
}
