const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const firstCharacter = (word: string) =>
  graphemes.segment(word)[Symbol.iterator]().next().value?.segment ?? '';

/**
 * Up to two initials for an avatar, from the first and last word that start with a letter. Whole
 * characters only: an emoji or a combined accent is never cut into half a surrogate pair.
 */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const lettered = words.filter((w) => /^\p{L}/u.test(w));
  const pick = lettered.length > 0 ? lettered : words;
  const ends = pick.length > 1 ? [pick[0]!, pick.at(-1)!] : pick.slice(0, 1);
  return ends.map(firstCharacter).join('').toLocaleUpperCase();
}
