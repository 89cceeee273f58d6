import { Badge, Code, Table, Text, VisuallyHidden } from '@mantine/core';
import { type MessageKey, t } from '../../app/i18n';

export type DiffRow = {
  path: string;
  kind: 'added' | 'removed' | 'changed' | 'same';
  before?: unknown;
  after?: unknown;
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Leaf values by dotted path; arrays count as leaves (their order is meaningful). */
function flatten(value: unknown, prefix: string, out: Map<string, unknown>) {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix || value !== undefined) {
    out.set(prefix || '(value)', value);
  }
  return out;
}

/** The fields of two JSON documents side by side: added, removed, changed and unchanged. */
export function diffJson(before: unknown, after: unknown): DiffRow[] {
  const a = flatten(before ?? undefined, '', new Map());
  const b = flatten(after ?? undefined, '', new Map());
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths.map((path) => {
    const inA = a.has(path);
    const inB = b.has(path);
    const va = a.get(path);
    const vb = b.get(path);
    if (!inA) return { path, kind: 'added', after: vb };
    if (!inB) return { path, kind: 'removed', before: va };
    return {
      path,
      kind: JSON.stringify(va) === JSON.stringify(vb) ? 'same' : 'changed',
      before: va,
      after: vb,
    };
  });
}

const show = (v: unknown) => (v === undefined ? '' : JSON.stringify(v));
const COLOR: Record<DiffRow['kind'], string> = {
  added: 'green',
  removed: 'red',
  changed: 'orange',
  same: 'gray',
};
const KIND: Record<Exclude<DiffRow['kind'], 'same'>, MessageKey> = {
  added: 'diff.added',
  removed: 'diff.removed',
  changed: 'diff.changed',
};

export function JsonDiff({ before, after }: { before: unknown; after: unknown }) {
  const rows = diffJson(before, after);
  if (rows.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('diff.nothing')}
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table verticalSpacing={4} fz="sm" data-testid="json-diff">
        <VisuallyHidden component="caption">{t('diff.caption')}</VisuallyHidden>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('diff.field')}</Table.Th>
            <Table.Th scope="col">{t('diff.before')}</Table.Th>
            <Table.Th scope="col">{t('diff.after')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr
              key={r.path}
              data-kind={r.kind}
              style={r.kind === 'same' ? { opacity: 0.65 } : undefined}
            >
              <Table.Td>
                <Code>{r.path}</Code>{' '}
                {r.kind !== 'same' && (
                  <Badge size="xs" variant="light" color={COLOR[r.kind]}>
                    {t(KIND[r.kind])}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-all' }}>
                {r.kind === 'removed' || r.kind === 'changed' ? <del>{show(r.before)}</del> : show(r.before)}
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-all' }}>
                {r.kind === 'added' || r.kind === 'changed' ? <ins>{show(r.after)}</ins> : show(r.after)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
