import type { Content, IntentDef, Thresholds } from '../content/model';
import type { PendingClarification } from '../domain/conversation';
import type { NluResult, RankedIntent, SafetyRule } from '../nlu/types';
import type { Decision } from './types';

/** Everything the policy looks at for one customer message. */
export interface PolicyInput {
  /** The ranking (best first, confidences sum to 1) and the safety-rule hits. */
  nlu: NluResult;
  /** Intents (id → category, action, answer template) and routing (thresholds, categories). */
  content: Content;
  /** Set while the conversation waits for the answer to our ONE clarifying question. */
  pending?: PendingClarification;
  /**
   * The customer picked an option of the pending question (see `resolveChoice`): an intent, or
   * `null` for "something else / a person".
   */
  chosen?: { intent: string | null };
}

/**
 * Share of the pending options' (renormalized) confidence the best option needs so that a
 * free-text reply to the clarifying question is read as that option.
 */
export const CLARIFIED_TEXT_SHARE = 0.6;

/** Fewest and most candidates a clarifying question offers (the "other" choice comes on top). */
export const MIN_CANDIDATES = 2;
export const MAX_CANDIDATES = 3;

/**
 * The policy: a pure function from the NLU result (and the pending clarification, if any) to
 * answer / clarify / handoff. Every decision names the rule that fired (`rule`, a stable id) and
 * a readable `reason` with the numbers, for the console and the ticket's context packet.
 *
 * Rules, first match wins:
 * 1. `handoff:human_request`: the customer asked for a person → `routing.humanCategory`.
 * 2. `handoff:emergency`: emergency lexicon hit → the `emergency` category.
 * 3. `handoff:complaint_tone`: complaint tone → the `complaint` category.
 *    (1–3 never clarify, also while a clarification is pending.)
 * 4. A choice was picked: `answer:clarified_choice` / `handoff:clarified_choice`;
 *    "other" → `handoff:clarify_other`.
 * 5. Confident (top ≥ `answer` and top − second ≥ `margin`): `answer:confident` /
 *    `handoff:category`.
 * 6. Free-text reply to a pending question: re-read among the offered intents;
 *    `answer:clarified_text` / `handoff:clarified_text`, else `handoff:second_miss` (we never ask
 *    twice in a row).
 * 7. Otherwise ask: `clarify:low_confidence` (top < `answer`) or `clarify:low_margin`.
 *
 * Thresholds are `routing.thresholds` overlaid with the top intent's category overrides.
 */
export function decide(input: PolicyInput): Decision {
  const { nlu, content, pending, chosen } = input;
  const routing = content.routing;
  const ranking = nlu.ranking;
  const top = ranking[0];

  // 1–3: safety rules, in a fixed order of precedence.
  const human = hit(nlu, 'human_request');
  if (human) {
    return safetyHandoff(
      content,
      top,
      routing.humanCategory,
      'handoff:human_request',
      `asked for a person (matched "${human}")`,
    );
  }
  const emergency = hit(nlu, 'emergency');
  if (emergency) {
    return safetyHandoff(
      content,
      top,
      categoryOr(content, 'emergency'),
      'handoff:emergency',
      `emergency (matched "${emergency}")`,
    );
  }
  const complaint = hit(nlu, 'complaint_tone');
  if (complaint) {
    return safetyHandoff(
      content,
      top,
      categoryOr(content, 'complaint'),
      'handoff:complaint_tone',
      `complaint tone (matched "${complaint}")`,
    );
  }

  // 4: the customer picked one of our options.
  if (chosen) {
    if (chosen.intent === null) {
      return handoff(routing.humanCategory, null, 'handoff:clarify_other', 'chose "something else / a person"');
    }
    return actOn(content, chosen.intent, 'clarified_choice', `chose ${chosen.intent}`);
  }

  if (!top) {
    // Only possible when no intents exist at all: nothing to answer with, a person takes it.
    return handoff(routing.humanCategory, null, 'handoff:no_intents', 'no intents to classify against');
  }

  // 5: confident enough to act without asking.
  const thresholds = thresholdsFor(content, top.intent);
  const second = ranking[1]?.confidence ?? 0;
  const margin = top.confidence - second;
  const confident = top.confidence >= thresholds.answer && margin >= thresholds.margin;
  if (confident) {
    return actOn(
      content,
      top.intent,
      'confident',
      `top ${top.intent} ${fmt(top.confidence)} ≥ ${fmt(thresholds.answer)}, margin ${fmt(margin)} ≥ ${fmt(thresholds.margin)}`,
    );
  }

  // 6: a free-text answer to our clarifying question. Never ask a second time.
  if (pending) return rereadInContext(content, ranking, pending);

  // 7: ask once, offering the likely topics.
  const candidates = pickCandidates(ranking, thresholds.candidate);
  if (top.confidence < thresholds.answer) {
    return {
      action: 'clarify',
      candidates,
      rule: 'clarify:low_confidence',
      reason: `top ${top.intent} ${fmt(top.confidence)} < ${fmt(thresholds.answer)}`,
    };
  }
  return {
    action: 'clarify',
    candidates,
    rule: 'clarify:low_margin',
    reason: `top-2 margin ${fmt(margin)} < ${fmt(thresholds.margin)}`,
  };
}

/**
 * The thresholds that apply when `intentId` is the top intent: the global ones overlaid with its
 * category's overrides. Unknown intents get the global thresholds.
 */
export function thresholdsFor(content: Content, intentId: string): Thresholds {
  const base = content.routing.thresholds;
  const intent = findIntent(content, intentId);
  const override = intent ? content.routing.categories[intent.category]?.thresholds : undefined;
  return { ...base, ...definedOnly(override) };
}

/**
 * The clarification candidates: every intent at or above the candidate threshold, at most
 * `MAX_CANDIDATES`, padded with the next best up to `MIN_CANDIDATES` (when that many exist).
 */
export function pickCandidates(ranking: RankedIntent[], candidateThreshold: number): RankedIntent[] {
  const passing = ranking.filter((r) => r.confidence >= candidateThreshold).slice(0, MAX_CANDIDATES);
  if (passing.length >= MIN_CANDIDATES) return passing;
  // The ranking is best-first, so padding with "the next best" is simply its head.
  return ranking.slice(0, Math.min(MIN_CANDIDATES, ranking.length));
}

function rereadInContext(content: Content, ranking: RankedIntent[], pending: PendingClarification): Decision {
  const offered = new Set(pending.options.flatMap((o) => (o.intent === null ? [] : [o.intent])));
  const restricted = ranking.filter((r) => offered.has(r.intent));
  const total = restricted.reduce((sum, r) => sum + r.confidence, 0);
  const best = restricted[0];
  const humanCategory = content.routing.humanCategory;
  if (!best || total <= 0) {
    return handoff(humanCategory, null, 'handoff:second_miss', 'reply matches none of the offered topics');
  }
  const share = best.confidence / total;
  const candidate = thresholdsFor(content, best.intent).candidate;
  if (share >= CLARIFIED_TEXT_SHARE && best.confidence >= candidate) {
    return actOn(
      content,
      best.intent,
      'clarified_text',
      `reply reads as ${best.intent}: share ${fmt(share)} ≥ ${fmt(CLARIFIED_TEXT_SHARE)}, confidence ${fmt(best.confidence)} ≥ ${fmt(candidate)}`,
    );
  }
  const why =
    share < CLARIFIED_TEXT_SHARE
      ? `best offered ${best.intent} share ${fmt(share)} < ${fmt(CLARIFIED_TEXT_SHARE)}`
      : `best offered ${best.intent} ${fmt(best.confidence)} < ${fmt(candidate)}`;
  return handoff(humanCategory, null, 'handoff:second_miss', `${why}; not asking twice`);
}

/**
 * Answers with the intent's template when its (effective) action is answer, otherwise hands off
 * to its category. `kind` completes the rule id: `answer:<kind>` / `handoff:<kind>`; confident
 * handoffs use `handoff:category`.
 */
function actOn(content: Content, intentId: string, kind: string, why: string): Decision {
  const intent = findIntent(content, intentId);
  const humanCategory = content.routing.humanCategory;
  const handoffRule = kind === 'confident' ? 'handoff:category' : `handoff:${kind}`;
  if (!intent) {
    // A choice from a question asked before a content reload that removed the intent.
    return handoff(humanCategory, null, handoffRule, `${why}; intent ${intentId} no longer exists`);
  }
  if (intent.action === 'answer' && intent.answer) {
    return {
      action: 'answer',
      intent: intent.id,
      category: intent.category,
      template: intent.answer,
      rule: `answer:${kind}`,
      reason: why,
    };
  }
  return handoff(intent.category, intent.id, handoffRule, `${why}; category ${intent.category} is handled by a person`);
}

function safetyHandoff(
  content: Content,
  top: RankedIntent | undefined,
  category: string,
  rule: string,
  reason: string,
): Decision {
  // Keep the classifier's guess for the ticket when it agrees with the rule's category.
  const topIntent = top ? findIntent(content, top.intent) : undefined;
  const intent = topIntent && topIntent.category === category ? topIntent.id : null;
  return handoff(category, intent, rule, reason);
}

function handoff(category: string, intent: string | null, rule: string, reason: string): Decision {
  return { action: 'handoff', category, intent, rule, reason };
}

/** The category named `id` when the routing has it, otherwise the human category. */
function categoryOr(content: Content, id: string): string {
  return content.routing.categories[id] ? id : content.routing.humanCategory;
}

function hit(nlu: NluResult, rule: SafetyRule): string | undefined {
  return nlu.rules.find((r) => r.rule === rule)?.term;
}

function findIntent(content: Content, id: string): IntentDef | undefined {
  return content.intents.find((i) => i.id === id);
}

function definedOnly(t: Partial<Thresholds> | undefined): Partial<Thresholds> {
  const out: Partial<Thresholds> = {};
  if (!t) return out;
  if (t.answer !== undefined) out.answer = t.answer;
  if (t.margin !== undefined) out.margin = t.margin;
  if (t.candidate !== undefined) out.candidate = t.candidate;
  return out;
}

function fmt(n: number): string {
  return n.toFixed(2);
}
