import type { Platform } from '../platform';

/**
 * The tags that bind a scenario to boards without naming one. A scenario that names a board
 * (a board tag on the scenario, its feature, its rule or its Examples row) runs only on the boards
 * it names; one that names none runs on every board its group tags match.
 */
export function groupTags(p: Platform): string[] {
  return ['@all-boards', `@${p.family}`, `@${p.arch}`];
}

/** The Cucumber tag expression selecting exactly the scenarios that apply to board `p`. */
export function applicabilityExpression(p: Platform, allBoards: readonly string[]): string {
  const others = allBoards.filter((b) => b !== p.name).map((b) => `@${b}`);
  const groups = groupTags(p).join(' or ');
  const namesOther = others.length ? ` and not (${others.join(' or ')})` : '';
  return `@${p.name} or ((${groups})${namesOther})`;
}

/** Board names that a user's tag expression mentions, in the order of `allBoards`. */
export function boardsMentioned(expr: string, allBoards: readonly string[]): string[] {
  const tags = new Set(expr.match(/@[\w.-]+/g) ?? []);
  return allBoards.filter((b) => tags.has(`@${b}`));
}

/**
 * The user's expression as seen from board `board`: a board tag becomes true for that board
 * and false for the others, so that `@tx2` means "what applies to TX2" (including the group
 * scenarios) rather than "what is literally tagged @tx2".
 */
export function specialiseForBoard(expr: string, board: string, allBoards: readonly string[]): string {
  const known = new Set(allBoards.map((b) => `@${b}`));
  return expr.replace(/@[\w.-]+/g, (tag) => {
    if (!known.has(tag)) return tag;
    return tag === `@${board}` ? `(${tag} or not ${tag})` : `(${tag} and not ${tag})`;
  });
}
