import type { Content } from '../content/model';
import type { NluModel, TrainingExample } from '../nlu/types';
import { trainNlu, trainNluSteps, type Steps } from '../nlu';

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

/**
 * `buildBrain` without holding the event loop: training runs in steps (an epoch, a chunk of
 * examples' features, each a few tens of milliseconds) with a turn of the event loop between
 * them, so while content staff's change is being learned the bot keeps answering with the live
 * model instead of every webhook waiting for the whole retrain (about a second). The same model
 * as `buildBrain`; `trainMs` is wall time, the waits included.
 */
export async function buildBrainInTurns(content: Content, now: () => number = Date.now, seed = 1): Promise<Brain> {
  const started = now();
  const nlu = await runInTurns(trainNluSteps(trainingExamples(content), { seed }));
  return { content, nlu, trainMs: now() - started };
}

/** Runs `steps` to the end, letting pending I/O callbacks run between two steps. */
async function runInTurns<T>(steps: Steps<T>): Promise<T> {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
