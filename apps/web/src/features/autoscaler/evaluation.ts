import type {
  TEvaluation,
  TEvaluationFigures,
  TEvaluationOptionsInput,
  TEvaluationPolicy,
} from '@clockpilot/contracts/autoscaler-evaluation';
import { ZEvaluationOptions } from '@clockpilot/contracts/autoscaler-evaluation';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, upload } from '../../app/auth';
import { bodyResolver } from '../../app/validate';

export const EVALUATIONS_PATH = '/api/v1/autoscaler/evaluations';

export type EvaluationFormValues = {
  file: File | null;
  policy: 'both' | TEvaluationPolicy;
  /** Empty: the trace's peak needs 100 servers. */
  serverRps: number | '';
  bootSeconds: number | '';
  hpaTarget: number | '';
};

export const initialEvaluationValues: EvaluationFormValues = {
  file: null,
  policy: 'both',
  serverRps: '',
  bootSeconds: 60,
  hpaTarget: 70,
};

/** The options as the server's contract reads them (an emptied number is left out or refused). */
export function evaluationOptions(v: EvaluationFormValues): TEvaluationOptionsInput {
  return {
    policy: v.policy,
    ...(v.serverRps === '' ? {} : { serverRps: v.serverRps }),
    bootSeconds: v.bootSeconds === '' ? Number.NaN : v.bootSeconds,
    hpaTarget: v.hpaTarget === '' ? Number.NaN : v.hpaTarget,
  };
}

const optionsCheck = bodyResolver<EvaluationFormValues>(ZEvaluationOptions, evaluationOptions);

export function validateEvaluation(v: EvaluationFormValues): Record<string, string> {
  const errors = optionsCheck(v);
  if (!v.file) errors.file = 'Choose a timestamp,requests CSV file';
  return errors;
}

/** The multipart form: the options first, then the file. */
export function evaluationForm(v: EvaluationFormValues & { file: File }): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(evaluationOptions(v))) body.set(name, String(value));
  body.set('file', v.file);
  return body;
}

export function useStartEvaluation(onProgress: (share: number) => void) {
  return useMutation({
    mutationFn: (v: EvaluationFormValues & { file: File }) =>
      upload<TEvaluation>(EVALUATIONS_PATH, evaluationForm(v), onProgress),
  });
}

/** An evaluation, asked again every half second while it runs. */
export function useEvaluation(id: string | null) {
  return useQuery({
    queryKey: ['autoscaler', 'evaluations', id],
    queryFn: ({ signal }) => api<TEvaluation>('GET', `${EVALUATIONS_PATH}/${id}`, { signal }),
    enabled: id !== null,
    refetchInterval: (q) => (q.state.data?.status === 'running' ? 500 : false),
  });
}

type Row = { key: keyof TEvaluationFigures; label: string; unit?: string };

/** The figures of EVALUATION-METRICS.md the table shows, in its order. */
export const FIGURE_ROWS: Row[] = [
  { key: 'sloViolationMinutes', label: 'SLO-violation minutes', unit: 'min' },
  { key: 'unservedRequests', label: 'Unserved requests' },
  { key: 'unservedDemandRatio', label: 'Unserved share of demand', unit: '%' },
  { key: 'serverMinutes', label: 'Server-minutes' },
  { key: 'serverMinutesVsOracle', label: 'Server-minutes / oracle', unit: '×' },
  { key: 'underProvisioningAccuracy', label: 'Under-provisioning accuracy θU', unit: '%' },
  { key: 'overProvisioningAccuracy', label: 'Over-provisioning accuracy θO', unit: '%' },
  { key: 'underProvisioningTimeshare', label: 'Under-provisioning timeshare τU', unit: '%' },
  { key: 'overProvisioningTimeshare', label: 'Over-provisioning timeshare τO', unit: '%' },
  { key: 'averageMissingServers', label: 'Average missing servers' },
  { key: 'averageSurplusServers', label: 'Average surplus servers' },
  { key: 'instability', label: 'Instability k', unit: '%' },
  { key: 'jitterPerHour', label: 'Jitter per hour' },
  { key: 'scalingActionsPerHour', label: 'Scaling actions per hour' },
  { key: 'serversMovedPerHour', label: 'Servers moved per hour' },
  { key: 'relativeSlack', label: 'Relative slack', unit: '%' },
  { key: 'overloadEpisodesPerServerDay', label: 'Overload episodes per server-day' },
  { key: 'timeToRecoverMeanSeconds', label: 'Time to recover, mean', unit: 's' },
  { key: 'timeToRecoverMaxSeconds', label: 'Time to recover, longest', unit: 's' },
  { key: 'elapsedMs', label: 'Replay time', unit: 'ms' },
];

export const POLICY_LABEL: Record<TEvaluationPolicy, string> = { hpa: 'HPA', predictive: 'Predictive' };
export const POLICY_COLOR: Record<TEvaluationPolicy, string> = { hpa: '#1f77b4', predictive: '#d95f02' };

/** A figure for the table: grouped thousands, at most two decimals. */
export const formatFigure = (v: number | undefined) =>
  v === undefined ? '–' : v.toLocaleString('en', { maximumFractionDigits: 2 });
