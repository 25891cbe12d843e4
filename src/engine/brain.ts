import type { Content } from '../content/model';
import type { NluModel, TrainingExample } from '../nlu/types';
import { trainNlu } from '../nlu';

/**
 * The content and the NLU model trained from it, always swapped together: a message is never
 * classified by a model trained on other content than the one used to answer it.
 */
export interface Brain {
  content: Content;
  nlu: NluModel;
  /** How long training took, for logs and /readyz. */
  trainMs: number;
}

/** Flattens intent examples of every locale into training examples. */
export function trainingExamples(content: Content): TrainingExample[] {
  const out: TrainingExample[] = [];
  for (const intent of content.intents) {
    for (const locale of ['id', 'en'] as const) {
      for (const text of intent.examples[locale]) out.push({ text, intent: intent.id, locale });
    }
  }
  return out;
}

/** Trains the NLU for `content`. Pure apart from timing; deterministic for a given seed. */
export function buildBrain(content: Content, now: () => number = Date.now, seed = 1): Brain {
  const started = now();
  const nlu = trainNlu(trainingExamples(content), { seed });
  return { content, nlu, trainMs: now() - started };
}
