import type { RankedIntent } from '../nlu/types';

/**
 * What the policy decided for one customer message, and why. `rule` is a stable id such as
 * `answer:confident`, `clarify:low_margin`, `handoff:complaint_tone`; `reason` is the readable
 * line the console shows ("top-2 margin 0.04 < 0.10").
 */
export type Decision =
  | { action: 'answer'; intent: string; category: string; template: string; rule: string; reason: string }
  | {
      action: 'clarify';
      /** Two or three candidate intents, best first; the "other" choice is added when rendering. */
      candidates: RankedIntent[];
      rule: string;
      reason: string;
    }
  | {
      action: 'handoff';
      category: string;
      intent: string | null;
      rule: string;
      reason: string;
    };
