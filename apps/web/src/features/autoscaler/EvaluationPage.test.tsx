import type { TEvaluation, TEvaluationFigures } from '@clockpilot/contracts/autoscaler-evaluation';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { json, mockApi, problem, renderWithProviders } from '../../test/render';
import { EvaluationPage } from './EvaluationPage';

const ID = '00000000-0000-4000-8000-0000000000e1';

/** Stands in for the upload's XMLHttpRequest: keeps the form it was sent and answers with `reply`. */
function fakeXhr(reply: () => Response) {
  const sent: FormData[] = [];
  class FakeXhr {
    upload: { onprogress?: (e: ProgressEvent) => void } = {};
    onload?: () => void;
    onerror?: () => void;
    status = 0;
    responseText = '';
    private type = '';
    open() {}
    setRequestHeader() {}
    getResponseHeader = () => this.type;
    send(body: FormData) {
      sent.push(body);
      const res = reply();
      void res.text().then((text) => {
        this.upload.onprogress?.({ lengthComputable: true, loaded: 1, total: 1 } as ProgressEvent);
        this.status = res.status;
        this.responseText = text;
        this.type = res.headers.get('content-type') ?? '';
        this.onload?.();
      });
    }
  }
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
  return sent;
}

const figures = (slo: number, serverMinutes: number): TEvaluationFigures => ({
  sloViolationMinutes: slo,
  unservedRequests: 120,
  unservedDemandRatio: 0.5,
  serverMinutes,
  oracleServerMinutes: 900,
  serverMinutesVsOracle: serverMinutes / 900,
  underProvisioningAccuracy: 3,
  overProvisioningAccuracy: 20,
  underProvisioningTimeshare: 4,
  overProvisioningTimeshare: 70,
  averageMissingServers: 0.2,
  averageSurplusServers: 2,
  instability: 10,
  jitterPerHour: 1,
  scalingActions: 12,
  scalingActionsPerHour: 4,
  serversMovedPerHour: 9,
  relativeSlack: 30,
  overloadEpisodesPerServerDay: 0.1,
  timeToRecoverMeanSeconds: 45,
  timeToRecoverMaxSeconds: 90,
  deviation: 75,
  elapsedMs: 80,
});

const running: TEvaluation = {
  id: ID,
  status: 'running',
  fileName: 'trace.csv',
  options: { policy: 'both', serverRps: 5, bootSeconds: 60, hpaTarget: 70 },
  progress: { done: 480, total: 1440 },
  createdAt: '2026-03-02T09:00:00Z',
  finishedAt: null,
  error: null,
  result: null,
};
const succeeded: TEvaluation = {
  ...running,
  status: 'succeeded',
  progress: { done: 1440, total: 1440 },
  finishedAt: '2026-03-02T09:00:03Z',
  result: {
    trace: { steps: 180, stepSeconds: 60, requests: 540000, gapSteps: 0, zeroSteps: 0, peakRps: 70 },
    settings: {
      serverRps: 5,
      bootSeconds: 60,
      syncSeconds: 15,
      warmupSeconds: 300,
      hpaTargetUtilization: 70,
      minServers: 1,
      maxServers: 42,
    },
    policies: { hpa: figures(12.5, 1234.75), predictive: figures(5, 1200) },
    comparison: { sloViolationMinutesRatio: 0.4, serverMinutesRatio: 0.97, goalMet: true },
    chart: {
      secondsPerPoint: 60,
      demand: [4, 4, 12, 12],
      series: [
        { policy: 'hpa', ready: [5, 5, 6, 14], billed: [5, 5, 14, 14] },
        { policy: 'predictive', ready: [5, 5, 13, 13], billed: [5, 5, 13, 13] },
      ],
    },
  },
};

const chooseFile = (content = 'timestamp,requests\n0,10\n60,20\n') => {
  const input = document.querySelector('input[type="file"]') as HTMLInputElement;
  fireEvent.change(input, { target: { files: [new File([content], 'trace.csv', { type: 'text/csv' })] } });
};

describe('evaluation page', () => {
  it('uploads a trace with its options, follows the replay, then shows the figures and the chart', async () => {
    const reads: TEvaluation[] = [running, succeeded];
    mockApi(async (url) => {
      expect(url.pathname).toBe(`/api/v1/autoscaler/evaluations/${ID}`);
      return json(reads.length > 1 ? reads.shift() : reads[0]);
    });
    const sent = fakeXhr(() => json(running, 202));
    renderWithProviders(<EvaluationPage />);
    expect(screen.getByText('No evaluation yet')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Run evaluation' }));
    expect(await screen.findByText('Choose a timestamp,requests CSV file')).toBeTruthy();
    expect(sent).toEqual([]);

    chooseFile();
    fireEvent.change(screen.getByLabelText(/Capacity per server/), { target: { value: '5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run evaluation' }));
    expect(await screen.findByText('Replaying trace.csv: 33%')).toBeTruthy();
    const form = sent[0] as FormData;
    expect(Object.fromEntries([...form.entries()].filter(([k]) => k !== 'file'))).toEqual({
      policy: 'both',
      serverRps: '5',
      bootSeconds: '60',
      hpaTarget: '70',
    });
    expect((form.get('file') as File).name).toBe('trace.csv');

    expect(await screen.findByText('Goal met', {}, { timeout: 5000 })).toBeTruthy();
    const table = screen.getByRole('table', { name: 'Evaluation figures per policy' });
    const slo = within(table).getByRole('row', { name: /SLO-violation minutes/ });
    expect(
      within(slo)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['12.5', '5']);
    const minutes = within(table)
      .getByRole('rowheader', { name: 'Server-minutes' })
      .closest('tr') as HTMLElement;
    expect(
      within(minutes)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['1,234.75', '1,200']);
    const chart = screen.getByRole('img', { name: /Servers against demand over 4 min/ });
    expect(chart.getAttribute('aria-label')).toContain('Predictive ready 13');
    expect(chart.querySelectorAll('path')).toHaveLength(3);
  });

  it('puts a refused trace’s reason under the file and runs nothing', async () => {
    const api = mockApi(async () => json({}));
    fakeXhr(() =>
      problem(422, {
        code: 'unprocessable',
        detail: 'Not a timestamp,requests trace: line 3: "x" is not an ISO or Unix timestamp',
        errors: [
          {
            path: 'body.file',
            message: 'Not a timestamp,requests trace: line 3: "x" is not an ISO or Unix timestamp',
          },
        ],
      }),
    );
    renderWithProviders(<EvaluationPage />);
    chooseFile('0,1\n60,2\nx,3\n');
    fireEvent.click(screen.getByRole('button', { name: 'Run evaluation' }));
    expect(await screen.findByText(/line 3: "x" is not an ISO or Unix timestamp/)).toBeTruthy();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Run evaluation' })).toBeTruthy());
    expect(screen.getByText('No evaluation yet')).toBeTruthy();
    expect(api.mock.calls.some(([u]) => String(u).includes('/evaluations/'))).toBe(false);
  });
});
