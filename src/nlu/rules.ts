import { DamerauLevenshteinDistance } from 'natural/lib/natural/distance';
import type { Locale } from '../domain/locale';
import { cleanText, splitTokens } from './clean';
import { EMOJI_MEANINGS } from './emoji';
import { analyzeText } from './normalize';
import type { RuleHit, SafetyRule } from './types';

/**
 * Safety rules: keyword rules that run beside the classifier and skip clarification when they
 * fire. The classifier ranks topics; these rules catch what must never wait for a clarifying
 * question: an emergency, an angry or demanding customer, an explicit request for a person.
 *
 * How matching works:
 * - Every message is looked at twice: as its *surface* tokens (cleaned raw words: "gak becus")
 *   and as its *normalized* tokens (after the slang lexicon: "tidak becus"). Each term is itself
 *   normalized in both languages when this module loads, so terms can be written the natural way
 *   ("balikin uang") and still match "balikin duit" (normalized: "kembalikan uang").
 * - Terms match on token boundaries, never inside a word ("asap" is not found in "berasap", and
 *   English "asap" is not a term at all).
 * - A single-word term of 6+ letters tolerates one typo (Damerau-Levenshtein ≤ 1: "kebakran",
 *   "kecewaa"), except against real words that happen to be one edit away ("berasa" vs
 *   "berasap", "terbayar" vs "terbakar"), listed in `NEAR_MISSES`.
 * - Anger terms are ignored when negated ("tidak kecewa", "not disappointed").
 * - Demand terms ("minta refund", "replace it") are ignored when phrased as a question about the
 *   policy: a question word up to 5 tokens before ("bisa minta ganti?", "gimana cara minta
 *   refund", "can you replace it?") or up to 2 after ("uang kembali kapan"). Asking how refunds
 *   work is an info or billing question, not a complaint.
 * - A request for a person is a fixed phrase ("orang asli", "real person"), a talk/connect verb
 *   followed within 4 tokens by a person noun ("bicara dengan cs", "connect me to an agent"),
 *   or a message that is only a person noun and filler ("operator dong"). "admin" alone never
 *   counts: "terima kasih admin" and "tolong dibantu min" are politeness, not requests.
 * - Tone on the raw text: "!!!", shouting in capitals (3+ words, mostly capitals), angry emoji.
 *
 * Each rule reports at most one hit: the first term of its list that matched, in the normalized
 * form the console shows ("matched: putus total").
 */

interface Term {
  /** The term normalized (in its own detected language), shown to agents. */
  label: string;
  /** Token sequences to look for: the cleaned term and its normalized forms in both locales. */
  variants: string[][];
  /** Single word of 6+ letters: one typo tolerated. */
  fuzzy: boolean;
}

/** Term lists. Order matters within a list: the first match is the one reported. */
// prettier-ignore
export const EMERGENCY_TERMS: readonly string[] = [
  // total outage
  'putus total', 'mati total', 'down total', 'down semua', 'semua down', 'mati semua', 'putus semua',
  'satu kompleks mati', 'satu perumahan mati', 'satu rt mati', 'satu gang mati', 'se rt mati',
  'jaringan putus', 'jaringan mati total', 'gangguan massal', 'gangguan masal', 'total outage', 'outage',
  'whole area down', 'whole area is down', 'entire area', 'whole neighborhood', 'everyone is down',
  'network is down everywhere', 'completely down', 'totally down', 'no internet at all',
  // data leak / account takeover
  'kebocoran data', 'data bocor', 'data saya bocor', 'akun dibobol', 'dibobol', 'dihack', 'di hack', 'kena hack',
  'kena hek', 'dihek', 'diretas', 'peretasan', 'akun diambil alih', 'transaksi mencurigakan', 'account hacked',
  'account was hacked', 'been hacked', 'got hacked', 'was hacked', 'data breach', 'data leak', 'data leaked',
  'leaked my data', 'someone logged into my account', 'unauthorized',
  // physical danger
  'berasap', 'keluar asap', 'ada asap', 'kebakaran', 'terbakar', 'korsleting', 'kesetrum', 'tersetrum',
  'percikan api', 'keluar api', 'meledak', 'ledakan', 'bau gosong', 'bau terbakar', 'smoke', 'smoking router',
  'fire', 'caught fire', 'on fire', 'sparks', 'sparking', 'exploded', 'explosion', 'electric shock',
  'electrocuted', 'burning smell', 'smells like burning',
];

/** Anger and disappointment; ignored when negated. */
// prettier-ignore
export const ANGER_TERMS: readonly string[] = [
  'kecewa', 'mengecewakan', 'kesal', 'marah', 'parah banget', 'parah sekali', 'sangat parah', 'parah parah',
  'tidak becus', 'menyesal', 'nyesel', 'payah', 'zonk', 'penipu', 'penipuan', 'nipu', 'menipu', 'tipu tipu',
  'pelayanan buruk', 'pelayanan jelek', 'pelayanan terburuk', 'sangat buruk', 'buruk sekali', 'jelek banget',
  'tidak memuaskan', 'tidak puas', 'tidak profesional', 'lapor ylki', 'saya viralkan', 'viralin', 'bodoh',
  'goblok', 'bego', 'tolol', 'brengsek', 'bangsat', 'kampret', 'anjing', 'sialan', 'disappointed', 'disappointing',
  'terrible', 'worst', 'unacceptable', 'horrible', 'awful', 'ridiculous', 'useless', 'pathetic', 'furious',
  'angry', 'scam', 'fraud', 'rip off', 'fed up', 'sick of', 'not satisfied', 'unprofessional',
];

/** Demands for a refund or replacement; ignored when asked as a question. */
// prettier-ignore
export const DEMAND_TERMS: readonly string[] = [
  'minta ganti', 'minta tukar', 'minta refund', 'minta uang kembali', 'minta uangnya kembali',
  'minta pengembalian dana', 'minta dikembalikan', 'uang kembali', 'balikin uang', 'kembalikan uang',
  'balikin uang saya', 'ganti rugi', 'tuntut', 'i want a refund', 'i want my money back', 'want my money back',
  'give me a refund', 'refund me', 'demand a refund', 'want to refund', 'replace it', 'replace this',
  'send a replacement', 'i want a replacement', 'compensation',
];

/** Explicit requests for a person, as fixed phrases (the verb + person pattern is separate). */
// prettier-ignore
export const HUMAN_PHRASES: readonly string[] = [
  'cs manusia', 'orang asli', 'orang beneran', 'manusia asli', 'petugas asli', 'bukan bot', 'jangan bot',
  'tidak mau bot', 'tidak mau sama bot', 'tidak mau robot', 'tidak mau sama robot', 'minta dilayani', 'minta cs',
  'minta operator', 'minta petugas', 'minta manusia', 'mau ke orang', 'real person', 'real human', 'live agent',
  'human agent', 'live person', 'live chat with', 'transfer me', 'do not want a bot', 'not a bot', 'no bot',
  'call me back', 'can someone call me',
];

/** Verbs of "talk to / connect me to"; a person noun must follow within `HUMAN_WINDOW` tokens. */
const HUMAN_VERBS = new Set([
  'bicara',
  'berbicara',
  'ngomong',
  'ngobrol',
  'sambungkan',
  'sambungin',
  'sambung',
  'disambungkan',
  'hubungkan',
  'hubungin',
  'dihubungkan',
  'alihkan',
  'dialihkan',
  'oper',
  'operkan',
  'panggil',
  'panggilin',
  'panggilkan',
  'talk',
  'speak',
  'connect',
  'put',
]);
/** Weaker verbs ("chat", "dibantu", "telepon"): they need a person noun other than "admin",
 * because "tolong dibantu min" is "please help, admin", not a request for a person. */
const HUMAN_WEAK_VERBS = new Set(['chat', 'dibantu', 'dilayani', 'telepon', 'hubungi', 'contact', 'reach']);
const PERSON_NOUNS = new Set([
  'cs',
  'admin',
  'orang',
  'manusia',
  'petugas',
  'operator',
  'agen',
  'agent',
  'staf',
  'staff',
  'karyawan',
  'pegawai',
  'supervisor',
  'atasan',
  'manajer',
  'manager',
  'human',
  'person',
  'someone',
  'somebody',
  'representative',
  'rep',
  'customer',
  'cso',
]);
const HUMAN_WINDOW = 4;
/** A message that is only a person noun and filler ("operator dong", "human please"). */
const STANDALONE_PERSONS = new Set(['operator', 'cs', 'human', 'agent', 'manusia', 'petugas', 'agen']);
const FILLER = new Set([
  'dong',
  'please',
  'tolong',
  'kak',
  'ya',
  'saja',
  'mau',
  'minta',
  'a',
  'an',
  'the',
  'i',
  'want',
  'need',
  'sih',
  'deh',
  'segera',
  'now',
  'ke',
  'to',
  'sama',
  'dengan',
  'live',
  'real',
  'saya',
  'ingin',
  'butuh',
  'langsung',
  'plz',
  'pls',
  'aja',
]);

const NEGATIONS = new Set(['tidak', 'bukan', 'belum', 'not', 'never', 'no', 'gak', 'ga', 'nggak', 'tdk']);
const QUESTION_BEFORE = new Set([
  'bisa',
  'bisakah',
  'boleh',
  'bolehkah',
  'apakah',
  'apa',
  'bagaimana',
  'gimana',
  'gmn',
  'cara',
  'caranya',
  'kapan',
  'berapa',
  'syarat',
  'syaratnya',
  'prosedur',
  'kebijakan',
  'kalau',
  'klo',
  'kalo',
  'jika',
  'bila',
  'apabila',
  'can',
  'could',
  'may',
  'how',
  'when',
  'is',
  'do',
  'does',
  'if',
  'policy',
]);
const QUESTION_AFTER = new Set([
  'kapan',
  'bagaimana',
  'gimana',
  'berapa',
  'how',
  'when',
  'gak',
  'tidak',
  'nggak',
  'ga',
]);

/** Real words one edit away from a fuzzy term: never read as a typo of it. */
export const NEAR_MISSES: ReadonlySet<string> = new Set([
  'berasa',
  'berasal',
  'terbayar',
  'parking',
  'parks',
  'spares',
  'explored',
  'outrage',
  'packed',
]);

function compile(label: string): Term {
  const variants: string[][] = [];
  const seen = new Set<string>();
  const forms = [cleanText(label), ...(['id', 'en'] as Locale[]).map((l) => analyzeText(label, l).text)];
  for (const form of forms) {
    if (form === '' || seen.has(form)) continue;
    seen.add(form);
    variants.push(splitTokens(form));
  }
  const single = variants.every((v) => v.length === 1 && (v[0]?.length ?? 0) >= 6);
  return { label: analyzeText(label).text, variants, fuzzy: single };
}

const EMERGENCY = EMERGENCY_TERMS.map(compile);
const ANGER = ANGER_TERMS.map(compile);
const DEMAND = DEMAND_TERMS.map(compile);
const HUMAN = HUMAN_PHRASES.map(compile);
const EMERGENCY_SET = termSet(EMERGENCY);
const ANGER_SET = termSet(ANGER);
const DEMAND_SET = termSet(DEMAND);
const HUMAN_SET = termSet(HUMAN);

// Exact words of every term, so a correctly spelled different term is never a "typo".
const TERM_WORDS = new Set([...EMERGENCY, ...ANGER, ...DEMAND, ...HUMAN].flatMap((t) => t.variants.flat()));

/**
 * The words of fuzzy terms, indexed by their one-letter deletions (a "symmetric delete" index):
 * two words are at most one edit apart — insertion, deletion, substitution or transposition —
 * only if they share a deletion form (or one is a deletion form of the other). Looking up a
 * token's deletions finds every candidate in a few map hits instead of a distance computation
 * per fuzzy word; candidates are then confirmed with Damerau-Levenshtein. A bounded memo keeps
 * each token's answer.
 */
function deletions(word: string): string[] {
  const out = [word];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}
const FUZZY_BY_DELETION = new Map<string, string[]>();
for (const word of new Set(
  [...EMERGENCY, ...ANGER, ...DEMAND, ...HUMAN].filter((t) => t.fuzzy).flatMap((t) => t.variants.flat()),
)) {
  for (const form of deletions(word)) FUZZY_BY_DELETION.set(form, [...(FUZZY_BY_DELETION.get(form) ?? []), word]);
}
const typoMemo = new Map<string, ReadonlySet<string>>();
const MAX_MEMO = 20_000;

function typoNeighbours(token: string): ReadonlySet<string> {
  const hit = typoMemo.get(token);
  if (hit) return hit;
  const near = new Set<string>();
  if (token.length >= 5 && !NEAR_MISSES.has(token) && !TERM_WORDS.has(token)) {
    for (const form of deletions(token)) {
      for (const word of FUZZY_BY_DELETION.get(form) ?? []) {
        if (!near.has(word) && DamerauLevenshteinDistance(token, word) <= 1) near.add(word);
      }
    }
  }
  if (typoMemo.size >= MAX_MEMO) typoMemo.clear();
  typoMemo.set(token, near);
  return near;
}

/** Token equality, or one typo for fuzzy terms (see the module comment). */
function tokenMatches(token: string, word: string, fuzzy: boolean): boolean {
  return token === word || (fuzzy && typoNeighbours(token).has(word));
}

/** Where `term` occurs in `tokens`: start position and length of each match. */
function findTerm(tokens: readonly string[], term: Term): { start: number; length: number }[] {
  const found: { start: number; length: number }[] = [];
  for (const variant of term.variants) {
    for (let i = 0; i + variant.length <= tokens.length; i++) {
      let ok = true;
      for (let j = 0; j < variant.length && ok; j++) {
        ok = tokenMatches(tokens[i + j] ?? '', variant[j] ?? '', term.fuzzy);
      }
      if (ok) found.push({ start: i, length: variant.length });
    }
  }
  return found;
}

type Guard = (tokens: readonly string[], start: number, length: number) => boolean;

const always: Guard = () => true;

const notNegated: Guard = (tokens, start) => {
  for (let i = Math.max(0, start - 2); i < start; i++) if (NEGATIONS.has(tokens[i] ?? '')) return false;
  return true;
};

const notAQuestion: Guard = (tokens, start, length) => {
  for (let i = Math.max(0, start - 5); i < start; i++) if (QUESTION_BEFORE.has(tokens[i] ?? '')) return false;
  const end = start + length;
  for (let i = end; i < Math.min(tokens.length, end + 2); i++) if (QUESTION_AFTER.has(tokens[i] ?? '')) return false;
  return true;
};

/** A rule's terms, indexed by the first word of each variant so a message only tries the terms
 * that could start at one of its tokens. */
interface TermSet {
  terms: readonly Term[];
  byFirstWord: ReadonlyMap<string, readonly number[]>;
}

function termSet(terms: readonly Term[]): TermSet {
  const byFirstWord = new Map<string, number[]>();
  terms.forEach((term, i) => {
    for (const first of new Set(term.variants.map((v) => v[0] ?? ''))) {
      byFirstWord.set(first, [...(byFirstWord.get(first) ?? []), i]);
    }
  });
  return { terms, byFirstWord };
}

/**
 * The first term of `set` (in list order: earlier terms win) found, and allowed by `guard`, in any
 * of the token sequences. Only terms whose first word is a token of the message, or one typo
 * away from one (fuzzy terms), can match, so only those are tried.
 */
function firstHit(set: TermSet, sequences: readonly (readonly string[])[], guard: Guard): string | undefined {
  const candidates = new Set<number>();
  for (const tokens of sequences) {
    for (const token of tokens) {
      for (const i of set.byFirstWord.get(token) ?? []) candidates.add(i);
      for (const word of typoNeighbours(token)) {
        for (const i of set.byFirstWord.get(word) ?? []) if (set.terms[i]?.fuzzy) candidates.add(i);
      }
    }
  }
  for (const i of [...candidates].sort((a, b) => a - b)) {
    const term = set.terms[i] as Term;
    for (const tokens of sequences) {
      for (const { start, length } of findTerm(tokens, term)) {
        if (guard(tokens, start, length)) return term.label;
      }
    }
  }
  return undefined;
}

/** "bicara dengan cs", "connect me to an agent": a talk/connect verb, then a person noun. */
function verbThenPerson(tokens: readonly string[]): string | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const verb = tokens[i] ?? '';
    const strong = HUMAN_VERBS.has(verb);
    if (!strong && !HUMAN_WEAK_VERBS.has(verb)) continue;
    for (let j = i + 1; j <= Math.min(tokens.length - 1, i + HUMAN_WINDOW); j++) {
      const noun = tokens[j] ?? '';
      if (!PERSON_NOUNS.has(noun) || (!strong && noun === 'admin')) continue;
      // "put" only as "put me through to …".
      if (verb === 'put' && tokens[i + 1] !== 'me') break;
      return tokens.slice(i, j + 1).join(' ');
    }
  }
  return undefined;
}

function standalonePerson(tokens: readonly string[]): string | undefined {
  const persons = tokens.filter((t) => STANDALONE_PERSONS.has(t));
  const rest = tokens.filter((t) => !STANDALONE_PERSONS.has(t));
  if (persons.length === 0 || !rest.every((t) => FILLER.has(t))) return undefined;
  return persons[0];
}

const ANGRY_EMOJI = Object.entries(EMOJI_MEANINGS)
  .filter(([, meaning]) => meaning === 'angry')
  .map(([emoji]) => emoji);

/** Tone signals only the raw text has: "!!!", shouting in capitals, angry emoji. */
export function toneSignal(raw: string): string | undefined {
  if (/!(?:[?\s]*!){2,}/.test(raw)) return '!!!';
  const words = raw.match(/\p{L}{2,}/gu) ?? [];
  const shouted = words.filter((w) => w === w.toUpperCase() && w !== w.toLowerCase());
  if (shouted.length >= 3 && shouted.length / words.length >= 0.6) return 'ALL CAPS';
  return ANGRY_EMOJI.find((e) => raw.includes(e));
}

/** What the rules look at; `analyzeText` gives the last two. */
export interface RuleInput {
  /** The text as the customer sent it. */
  raw: string;
  /** Cleaned tokens before the lexicon. */
  surface: readonly string[];
  /** Normalized tokens. */
  normalized: readonly string[];
}

/**
 * Runs the three safety rules on one message. At most one hit per rule, in the order
 * emergency, complaint tone, human request.
 *
 * @example detectRules('internet satu kompleks mati total!!!') // emergency + complaint_tone ("!!!")
 * @example detectRules('status refund saya gimana') // [] (a billing question)
 */
export function checkRules(input: RuleInput): RuleHit[] {
  const sequences = [input.normalized, input.surface];
  const hits: RuleHit[] = [];
  const push = (rule: SafetyRule, term: string | undefined): void => {
    if (term !== undefined) hits.push({ rule, term });
  };
  push('emergency', firstHit(EMERGENCY_SET, sequences, always));
  push(
    'complaint_tone',
    firstHit(ANGER_SET, sequences, notNegated) ??
      firstHit(DEMAND_SET, sequences, notAQuestion) ??
      toneSignal(input.raw),
  );
  push(
    'human_request',
    firstHit(HUMAN_SET, sequences, always) ??
      verbThenPerson(input.normalized) ??
      verbThenPerson(input.surface) ??
      standalonePerson(input.normalized),
  );
  return hits;
}

/** Convenience: normalizes `text` (detecting its locale unless given) and runs the rules. */
export function detectRules(text: string, locale?: Locale): RuleHit[] {
  const a = analyzeText(text, locale);
  return checkRules({ raw: text, surface: a.surface, normalized: a.tokens });
}
