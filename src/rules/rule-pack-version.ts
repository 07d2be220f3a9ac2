/** Bump whenever a rule's logic or message changes: stored findings computed with another version are redone. */
export const RULE_PACK_VERSION = '2026.12.07-8';
