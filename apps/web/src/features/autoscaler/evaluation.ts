import type {
  TEvaluation,
  TEvaluationFigures,
  TEvaluationOptionsInput,
  TEvaluationPolicy,
} from '@clockpilot/contracts/autoscaler-evaluation';
import { ZEvaluationOptions } from '@clockpilot/contracts/autoscaler-evaluation';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, upload } from '../../app/auth';
import { numberText } from '../../app/format';
import { type MessageKey, t } from '../../app/i18n';
import { bodyResolver } from '../../app/validate';
import { MODE_LABEL } from './status';

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
  if (!v.file) errors.file = t('autoscaler.fileRequired');
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

type Row = { key: keyof TEvaluationFigures; label: MessageKey; unit?: string };

/** The figures of EVALUATION-METRICS.md the table shows, in its order. */
export const FIGURE_ROWS: Row[] = [
  { key: 'sloViolationMinutes', label: 'autoscaler.figure.sloViolationMinutes', unit: 'min' },
  { key: 'unservedRequests', label: 'autoscaler.figure.unservedRequests' },
  { key: 'unservedDemandRatio', label: 'autoscaler.figure.unservedDemandRatio', unit: '%' },
  { key: 'serverMinutes', label: 'autoscaler.figure.serverMinutes' },
  { key: 'serverMinutesVsOracle', label: 'autoscaler.figure.serverMinutesVsOracle', unit: '×' },
  {
    key: 'underProvisioningAccuracy',
    label: 'autoscaler.figure.underProvisioningAccuracy',
    unit: '%',
  },
  {
    key: 'overProvisioningAccuracy',
    label: 'autoscaler.figure.overProvisioningAccuracy',
    unit: '%',
  },
  {
    key: 'underProvisioningTimeshare',
    label: 'autoscaler.figure.underProvisioningTimeshare',
    unit: '%',
  },
  {
    key: 'overProvisioningTimeshare',
    label: 'autoscaler.figure.overProvisioningTimeshare',
    unit: '%',
  },
  { key: 'averageMissingServers', label: 'autoscaler.figure.averageMissingServers' },
  { key: 'averageSurplusServers', label: 'autoscaler.figure.averageSurplusServers' },
  { key: 'instability', label: 'autoscaler.figure.instability', unit: '%' },
  { key: 'jitterPerHour', label: 'autoscaler.figure.jitterPerHour' },
  { key: 'scalingActionsPerHour', label: 'autoscaler.figure.scalingActionsPerHour' },
  { key: 'serversMovedPerHour', label: 'autoscaler.figure.serversMovedPerHour' },
  { key: 'relativeSlack', label: 'autoscaler.figure.relativeSlack', unit: '%' },
  { key: 'overloadEpisodesPerServerDay', label: 'autoscaler.figure.overloadEpisodesPerServerDay' },
  { key: 'timeToRecoverMeanSeconds', label: 'autoscaler.figure.timeToRecoverMean', unit: 's' },
  { key: 'timeToRecoverMaxSeconds', label: 'autoscaler.figure.timeToRecoverMax', unit: 's' },
  { key: 'elapsedMs', label: 'autoscaler.figure.elapsed', unit: 'ms' },
];

/** The policies are the cluster modes under their names. */
export const POLICY_LABEL: Record<TEvaluationPolicy, MessageKey> = MODE_LABEL;
export const POLICY_COLOR: Record<TEvaluationPolicy, string> = { hpa: '#1f77b4', predictive: '#d95f02' };

/** A figure for the table: grouped thousands, at most two decimals, in the person's locale. */
export const formatFigure = (v: number | undefined) => (v === undefined ? '–' : numberText(v));
