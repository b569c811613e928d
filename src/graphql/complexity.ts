/**
 * Query-cost hint for unpaginated relation lists (a plan's items, a card's entries): children are
 * assumed to repeat about ten times, so nesting such lists under a page is priced realistically.
 */
export const relationListComplexity = ({ childComplexity }: { childComplexity: number }) =>
  1 + 10 * childComplexity;
