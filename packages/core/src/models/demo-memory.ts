// The demo model's memory work: deterministic, pattern-based stand-ins for what a language model
// does with Dreamdeck's memory prompts (fact extraction, the rolling summary), and reading the
// `<context>` block a narration prompt carries. A demo, not understanding.

/** A fact in the shape `extract_memories` answers with. */
export interface DemoFact {
  subject: string;
  fact: string;
  kind: 'name' | 'place' | 'relationship' | 'inventory' | 'preference' | 'other';
  message: number;
}

const NAME = "([A-Z][\\w'’-]+(?: [A-Z][\\w'’-]+)?)";
const PHRASE = '([^.!?;\\n]+?)';
const END = '(?=[.!?;\\n]|,? and |$)';

const clean = (text: string) => text.replace(/\s+/g, ' ').trim();
const lowerFirst = (text: string) => text.replace(/^(The|A|An) /, (word) => word.toLowerCase());
const withoutArticle = (text: string) => text.replace(/^(the|a|an|my) /i, '');

/** Patterns that state facts about the player, each turned into a third-person fact. */
const PATTERNS: Array<{ pattern: RegExp; fact: (m: RegExpExecArray) => Omit<DemoFact, 'message'> | undefined }> = [
  {
    pattern: new RegExp(`\\b(?:[Mm]y name is|[Cc]all me|I am called|I'm called) ${NAME}`, 'g'),
    fact: (m) => ({ subject: 'name', fact: `The player's name is ${m[1]}.`, kind: 'name' }),
  },
  {
    pattern: new RegExp(
      `\\b[Mm]y ([a-z]+(?: (?!is\\b|was\\b)[a-z]+)?) (?:is called|is named|named|called|is) ${NAME}`,
      'g',
    ),
    fact: (m) =>
      m[1] === 'name'
        ? undefined
        : { subject: String(m[1]), fact: `The player's ${m[1]} is called ${m[2]}.`, kind: 'relationship' },
  },
  {
    pattern: new RegExp(`\\bi (?:carry|am carrying|hold|keep|wear|wield) ${PHRASE}${END}`, 'gi'),
    fact: (m) => {
      const item = clean(String(m[1]));
      return {
        subject: `carries ${withoutArticle(item)}`,
        fact: `The player carries ${lowerFirst(item)}.`,
        kind: 'inventory',
      };
    },
  },
  {
    pattern: new RegExp(`\\bi owe ${PHRASE}${END}`, 'gi'),
    fact: (m) => {
      const debt = clean(String(m[1]));
      const creditor = withoutArticle(
        debt.replace(/\s+(\d+|a hundred|a thousand|one|two|three|five|ten|my|for)\b.*$/i, ''),
      );
      return { subject: `owes ${creditor}`, fact: `The player owes ${lowerFirst(debt)}.`, kind: 'other' };
    },
  },
  {
    pattern: new RegExp(`\\bi (?:fear|am afraid of|'m afraid of|dread) ${PHRASE}${END}`, 'gi'),
    fact: (m) => {
      const fear = clean(String(m[1]));
      return { subject: `fears ${withoutArticle(fear)}`, fact: `The player fears ${lowerFirst(fear)}.`, kind: 'other' };
    },
  },
  {
    pattern: new RegExp(`\\bI (?:come from|am from|'m from|grew up in|was born in) ${NAME}`, 'g'),
    fact: (m) => ({ subject: 'home', fact: `The player comes from ${m[1]}.`, kind: 'place' }),
  },
  {
    pattern: new RegExp(`\\bi (?:promised|swore|vowed) ${PHRASE}${END}`, 'gi'),
    fact: (m) => {
      const promise = clean(String(m[1]));
      return { subject: `promised ${promise}`, fact: `The player promised ${promise}.`, kind: 'other' };
    },
  },
  {
    pattern: /\b(?:please,? )?no (gore|violence|romance|torture|spiders|horror|swearing)\b/gi,
    fact: (m) => ({
      subject: `preference no ${String(m[1]).toLowerCase()}`,
      fact: `The player wants no ${String(m[1]).toLowerCase()} in the story.`,
      kind: 'preference',
    }),
  },
];

/**
 * The facts the demo extracts from an `extract_memories` request: the player's lines (`[n]
 * Player: …`) matched against plain patterns ("my name is …", "my sister is called …", "I carry
 * …", "I owe …", "I fear …", "I come from …", "I promised …", "no gore").
 */
export function demoFacts(request: string): DemoFact[] {
  const facts: DemoFact[] = [];
  for (const line of request.split('\n')) {
    const found = /^\[(\d+)\] Player: (.*)$/.exec(line);
    if (!found) continue;
    const message = Number(found[1]);
    const text = found[2] ?? '';
    for (const { pattern, fact } of PATTERNS) {
      for (const match of text.matchAll(pattern)) {
        const made = fact(match as RegExpExecArray);
        if (made && !facts.some((known) => known.fact === made.fact)) facts.push({ ...made, message });
      }
    }
  }
  return facts;
}

const sentencesOf = (text: string) =>
  (text.match(/[^.!?]+[.!?]+["”’*]*|[^.!?]+$/g) ?? []).map((s) => clean(s.replace(/\*\*?|_/g, ''))).filter(Boolean);
const wordsOf = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** A sentence's worth in a summary: the player's own lines most, then names and places (capitalised words inside it). */
function worth(sentence: string): number {
  const names = sentence
    .split(/\s+/)
    .slice(1)
    .filter((word) => /^[A-Z][a-z]/.test(word)).length;
  return (sentence.startsWith('The player') ? 3 : 0) + names;
}

/**
 * The demo's rolling summary for a `summarize_story` request: the summary so far, plus the
 * player's words and the GM sentence with the most names from each new passage, then the least
 * worthy sentences dropped (oldest first) until it fits the word budget the request names.
 * Extractive and deterministic: it keeps names, places and objects the way they were written.
 */
export function demoSummary(system: string, request: string): string {
  const maxWords = Number(/at most (\d+) words/.exec(system)?.[1] ?? 400);
  const previous = /Summary so far:\n([\s\S]*?)\n\nNew passages:/.exec(request)?.[1] ?? '';
  const passages = request.split('\nNew passages:\n')[1] ?? '';
  const sentences = previous.trim() === '(none yet)' ? [] : sentencesOf(previous);
  for (const line of passages.split('\n')) {
    const player = /^Player: (.*)$/.exec(line);
    if (player?.[1]) {
      const words = clean(player[1]).split(' ');
      sentences.push(
        `The player: ${words.slice(0, 30).join(' ')}${words.length > 30 ? '…' : ''}.`.replace(/[.!?]\.$/, '.'),
      );
      continue;
    }
    const gm = /^GM: (.*)$/.exec(line);
    if (!gm?.[1]) continue;
    // the story before the closing question and its numbered choices
    const story = gm[1].split(/What do you do\?|\s\d+\.\s/)[0] ?? '';
    const best = sentencesOf(story)
      .filter((s) => /^["“A-Z]/.test(s) && !/offline demo/i.test(s) && wordsOf(s) <= 40)
      .sort((a, b) => worth(b) - worth(a))[0];
    if (best && worth(best) > 0 && !sentences.includes(best)) sentences.push(best);
  }
  let total = sentences.reduce((sum, s) => sum + wordsOf(s), 0);
  while (total > maxWords && sentences.length > 1) {
    let drop = 0;
    for (let i = 1; i < sentences.length; i++)
      if (worth(sentences[i] as string) < worth(sentences[drop] as string)) drop = i;
    total -= wordsOf(sentences[drop] as string);
    sentences.splice(drop, 1);
  }
  return sentences.join(' ');
}

/** A narration prompt's last message split into the `<context>` block's remembered lines and the player's own text. */
export function splitContext(input: string): { text: string; remembered: string[]; knowledge: string[] } {
  const block = /^<context>\n([\s\S]*?)\n<\/context>\n\n/.exec(input);
  if (!block) return { text: input, remembered: [], knowledge: [] };
  const sections = (block[1] ?? '').split('\n\n');
  const linesOf = (prefix: string) =>
    sections
      .filter((section) => section.startsWith(prefix))
      .flatMap((section) => section.split('\n').filter((line) => line.startsWith('- ')))
      .map((line) => line.slice(2));
  return {
    text: input.slice(block[0].length),
    remembered: linesOf('Remembered'),
    knowledge: linesOf('From the knowledge base'),
  };
}

/** The remembered fact that shares the most words with a question the player asks, if any. */
export function recalledFact(action: string, remembered: string[]): string | undefined {
  if (!action.includes('?') || remembered.length === 0) return undefined;
  const words = new Set(
    action
      .toLowerCase()
      .split(/[^a-z']+/)
      .filter((word) => word.length > 3),
  );
  let best: { fact: string; score: number } | undefined;
  for (const fact of remembered) {
    const score = fact
      .toLowerCase()
      .split(/[^a-z']+/)
      .filter((word) => words.has(word)).length;
    if (score > 0 && (!best || score > best.score)) best = { fact, score };
  }
  return best?.fact;
}
