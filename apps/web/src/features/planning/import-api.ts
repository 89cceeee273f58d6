import type { TImportDetail, TImportKind, TImportMapping } from '@clockpilot/contracts/planning-import';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, upload } from '../../app/auth';
import { planningKeys } from './api';

const IMPORTS = '/api/v1/planning/imports';
type Accepted = { id: string; status: string };

/** Sends the file as a dry run: nothing is written until the preview is applied. */
export function useUploadImport(onProgress: (share: number) => void) {
  return useMutation({
    mutationFn: ({ file, kind, dateFormat }: { file: File; kind: TImportKind; dateFormat: string }) => {
      // The kind goes before the file, so the server holds the upload to that kind's size limit.
      const body = new FormData();
      body.set('kind', kind);
      body.set('dryRun', 'true');
      if (dateFormat.trim()) body.set('dateFormat', dateFormat.trim());
      body.set('file', file);
      return upload<Accepted>(IMPORTS, body, onProgress);
    },
  });
}

/** Reads the same file again: a new preview with a changed mapping, or the real import. */
export function useRerunImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, dryRun, mapping }: { id: string; dryRun: boolean; mapping?: TImportMapping }) =>
      api<Accepted>('POST', `${IMPORTS}/${id}/runs`, { body: { dryRun, mapping } }),
    onSuccess: (_r, v) => {
      if (!v.dryRun) void qc.invalidateQueries({ queryKey: planningKeys.all });
    },
  });
}

export const isDone = (run: TImportDetail | undefined) =>
  run?.status === 'succeeded' || run?.status === 'failed';

/** A run, asked again every half second until it has finished. */
export function useImportRun(id: string | null) {
  return useQuery({
    queryKey: ['planning', 'imports', id],
    queryFn: ({ signal }) => api<TImportDetail>('GET', `${IMPORTS}/${id}`, { query: { limit: 200 }, signal }),
    enabled: id !== null,
    refetchInterval: (q) => (isDone(q.state.data) ? false : 500),
  });
}
