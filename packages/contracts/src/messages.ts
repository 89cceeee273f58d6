import { z } from 'zod';

type Issue = z.core.$ZodRawIssue;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What a limit means for each kind of value: `100 characters`, `20 items`, `60`. */
function limit(origin: string, n: number): string {
  if (origin === 'string') return plural(n, 'character', 'characters');
  if (origin === 'array' || origin === 'set') return plural(n, 'item', 'items');
  return String(n);
}

/**
 * The sentence a person reads next to a field, instead of Zod's schema text ("Too big: expected string
 * to have <=100 characters"). A message a schema sets itself wins over these; anything not listed keeps
 * Zod's own text.
 */
export function plainIssueMessage(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null) return 'Required';
      if (issue.expected === 'number' || issue.expected === 'int') return 'Enter a number';
      return 'This value has the wrong form';
    case 'too_small': {
      const n = Number(issue.minimum);
      if (issue.origin === 'string' && n === 1) return 'Required';
      if (issue.origin === 'array' && n === 1) return 'Pick at least one';
      return `${issue.inclusive === false ? 'More than' : 'At least'} ${limit(String(issue.origin), n)}`;
    }
    case 'too_big':
      return `${issue.inclusive === false ? 'Less than' : 'At most'} ${limit(String(issue.origin), Number(issue.maximum))}`;
    case 'invalid_format':
      if (issue.format === 'email') return 'Enter a valid email address';
      if (issue.format === 'uuid') return 'Pick one from the list';
      if (issue.format === 'datetime') return 'Enter a date and time';
      if (issue.format === 'date') return 'Enter a date';
      if (issue.format === 'url') return 'Enter a web address starting with https://';
      return undefined;
    case 'invalid_value':
      return issue.values.length === 1
        ? `Must be ${String(issue.values[0])}`
        : `Choose one of: ${issue.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return `Not a known field: ${issue.keys.join(', ')}`;
    default:
      return undefined;
  }
}

// One configuration for every importer (server validation and web forms alike).
z.config({ customError: plainIssueMessage });
