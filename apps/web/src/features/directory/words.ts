import type { MessageKey } from '../../app/i18n';
import type { DirectoryResource } from './api';

/** A tab's own sentences: each language words them per kind (a new person, a new team, …). */
export type Words = Record<
  'label' | 'new' | 'edit' | 'archiveAsk' | 'search' | 'none' | 'noMatch' | 'hint' | 'saved' | 'created',
  MessageKey
>;

export const wordsOf = (r: DirectoryResource): Words => ({
  label: `directory.${r}`,
  new: `directory.${r}.new`,
  edit: `directory.${r}.edit`,
  archiveAsk: `directory.${r}.archiveAsk`,
  search: `directory.${r}.search`,
  none: `directory.${r}.none`,
  noMatch: `directory.${r}.noMatch`,
  hint: `directory.${r}.hint`,
  saved: `directory.${r}.saved`,
  created: `directory.${r}.created`,
});
