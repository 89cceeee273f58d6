import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { en } from './en';

const SRC = join(__dirname, '..', '..');

/** Test support: never shipped. Nothing else is skipped. */
const TEST_SUPPORT = 'test';
/** Names that read the same in every language. */
const PROPER_NAMES = new Set(['ClockPilot']);
/** Elements whose content is code (a header to send, a key to type), not language. */
const CODE_ELEMENTS = new Set(['Code', 'code', 'Kbd', 'kbd']);

/** Props and object fields whose string a person reads or hears. */
const TEXT_PROPS = new Set([
  'label',
  'placeholder',
  'title',
  'aria-label',
  'description',
  'tip',
  'caption',
  'confirmLabel',
  'submitLabel',
  'message',
  'header',
  'hint',
  'nothingFoundMessage',
]);

const hasLetters = (s: string) => /\p{L}/u.test(s);
const isKey = (s: string) => s in en;
const isWords = (s: string) => hasLetters(s) && !isKey(s) && !PROPER_NAMES.has(s.trim());

function components(dir: string): string[] {
  if (relative(SRC, dir) === TEST_SUPPORT) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return components(path);
    return name.endsWith('.tsx') && !name.endsWith('.test.tsx') ? [path] : [];
  });
}

/**
 * The literal text an expression can evaluate to: string and template literals, through conditionals
 * and `&&`/`||`/`??`/`+`. A call (`t(...)`, a formatter) is never literal text.
 */
function literals(e: ts.Expression): string[] {
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [e.text];
  if (ts.isTemplateExpression(e))
    return [
      [e.head.text, ...e.templateSpans.map((s) => s.literal.text)].join(' '),
      ...e.templateSpans.flatMap((s) => literals(s.expression)),
    ];
  if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) return literals(e.expression);
  if (ts.isConditionalExpression(e)) return [...literals(e.whenTrue), ...literals(e.whenFalse)];
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return literals(e.right);
    if (
      op === ts.SyntaxKind.BarBarToken ||
      op === ts.SyntaxKind.QuestionQuestionToken ||
      op === ts.SyntaxKind.PlusToken
    )
      return [...literals(e.left), ...literals(e.right)];
  }
  return [];
}

type Finding = { at: string; text: string };

/** JSX text, JSX `{'…'}` children, text props and text fields of object literals that hold words. */
function untranslated(file: string, code: string): Finding[] {
  const source = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: Finding[] = [];
  const report = (node: ts.Node, texts: string[]) => {
    for (const text of texts)
      if (isWords(text)) {
        const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        found.push({ at: `${file}:${line}`, text: text.trim() });
      }
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxElement(node) && CODE_ELEMENTS.has(node.openingElement.tagName.getText())) return;
    if (ts.isJsxText(node)) report(node, [node.text]);
    else if (ts.isJsxExpression(node) && node.expression && !ts.isJsxAttribute(node.parent))
      report(node, literals(node.expression));
    else if (ts.isJsxAttribute(node) && TEXT_PROPS.has(node.name.getText()) && node.initializer) {
      const init = node.initializer;
      if (ts.isStringLiteral(init)) report(init, [init.text]);
      else if (ts.isJsxExpression(init) && init.expression) report(init, literals(init.expression));
    } else if (ts.isPropertyAssignment(node) && TEXT_PROPS.has(node.name.getText()))
      report(node, literals(node.initializer));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('translated interface', () => {
  it('has no visible text outside the catalogs', () => {
    const files = components(SRC);
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((path) => untranslated(relative(SRC, path), readFileSync(path, 'utf8')));
    expect(found.map((f) => `${f.at}: ${f.text}`)).toEqual([]);
  });

  it('finds words in every place a component shows them, and lets keys and calls through', () => {
    const code = `
      const a = <Button title="Save">Save it</Button>;
      const b = <Text>{ok ? 'Yes' : t('ui.cancel')}</Text>;
      const c = <Input aria-label={\`Remove \${name}\`} label={t('ui.loadMore')} />;
      notifications.show({ title: 'Not saved', message: errorMessage(e) });
      const d = { label: 'nav.home', header: '—' };
      const e = <Text>{count} · {hm(seconds)} <Code>Authorization: Bearer</Code> ClockPilot</Text>;`;
    expect(untranslated('x.tsx', code).map((f) => f.text)).toEqual([
      'Save',
      'Save it',
      'Yes',
      'Remove',
      'Not saved',
    ]);
  });
});
