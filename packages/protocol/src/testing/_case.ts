import type { CaseBody, Settings } from "./_context.js";

/** A case as the kit defines it: the sentence, when it applies, and what it does. */
export interface CaseDefinition {
  readonly name: string;
  readonly applies: (settings: Settings) => boolean;
  readonly body: CaseBody;
}

/** Every capability combination. */
export const always = (): boolean => true;
