// Generated request traces for the autoscaler's evaluation (`timestamp,requests` CSV, one row per
// minute, fixed seeds), each from a different pattern, so that the predictive mode is checked on more
// than the one real trace its defaults were first chosen on. Described in bench/RESULTS.md.
import { writeFileSync } from 'node:fs';

function generator(seed) {
  let s = seed;
  const uniform = () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
  const normal = () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

const START = 1_700_000_000;
const write = (file, values) =>
  writeFileSync(
    file,
    ['timestamp,requests', ...values.map((v, i) => (v === null ? null : `${START + 60 * i},${v}`))]
      .filter((l) => l !== null)
      .join('\n'),
  );

/**
 * `seasonal`: daily and weekly seasonality (weekends at 60 %), noise of twice the Poisson deviation,
 * half an hour without data and a few zero minutes. 125,000 rows (about 87 days) by default.
 */
export function seasonalTrace(file, rows = 125_000) {
  const { uniform, normal } = generator(42);
  const values = [];
  for (let i = 0; i < rows; i++) {
    if (i >= 5000 && i < 5030) {
      values.push(null); // half an hour without data
      continue;
    }
    const day = (i % 1440) / 1440;
    const weekend = Math.floor(i / 1440) % 7 >= 5;
    const mean = 3000 * (1 + 0.6 * Math.sin(2 * Math.PI * (day - 0.3))) * (weekend ? 0.6 : 1);
    const noise = normal();
    uniform();
    values.push(i % 10_007 < 3 ? 0 : Math.max(0, Math.round(mean + 2 * Math.sqrt(mean) * noise)));
  }
  write(file, values);
}

/**
 * `diurnal-noisy`: 21 days of a business day that opens at 09:00 sharp (the load triples within
 * two minutes, every day: what daily seasonality can foresee and a reactive HPA cannot), with
 * late-morning and afternoon peaks and a quiet night, and slow multiplicative noise: an AR(1) process of about 12 % that lasts tens of
 * minutes, on top of Poisson noise — the kind of drift a forecast cannot see coming.
 */
export function diurnalNoisyTrace(file, rows = 21 * 1440) {
  const { normal } = generator(7);
  const values = [];
  let drift = 0;
  for (let i = 0; i < rows; i++) {
    const hour = (i % 1440) / 60;
    const bump = (h, w) => Math.exp(-(((hour - h) / w) ** 2));
    // The working day starts at 09:00 sharp (the load triples within two minutes) and winds down.
    const open = hour >= 9 && hour < 18 ? Math.min(1, (hour - 9) * 30) : 0;
    const mean = 1500 * (0.2 + 0.5 * open + 0.4 * bump(11, 1.5) + 0.3 * bump(15, 2));
    drift = 0.97 * drift + 0.12 * Math.sqrt(1 - 0.97 ** 2) * normal();
    const rate = mean * Math.exp(drift);
    values.push(Math.max(0, Math.round(rate + Math.sqrt(rate) * normal())));
  }
  write(file, values);
}

/**
 * `spikes`: 21 days of a mild daily cycle with flash crowds: about three a day at random times, each
 * 2 to 4 times the load, rising within a minute and lasting 5 to 30 minutes — surprises no
 * seasonal forecast knows about, where the reactive floor has to answer.
 */
export function spikesTrace(file, rows = 21 * 1440) {
  const { uniform, normal } = generator(2024);
  const factor = new Float64Array(rows).fill(1);
  for (let k = 0; k < Math.round((rows / 1440) * 3); k++) {
    const at = Math.floor(uniform() * rows);
    const length = 5 + Math.floor(uniform() * 26);
    const height = 2 + 2 * uniform();
    for (let i = at; i < Math.min(rows, at + length); i++) factor[i] = Math.max(factor[i], height);
  }
  const values = [];
  for (let i = 0; i < rows; i++) {
    const day = (i % 1440) / 1440;
    const rate = 800 * (1 + 0.3 * Math.sin(2 * Math.PI * (day - 0.25))) * factor[i];
    values.push(Math.max(0, Math.round(rate + Math.sqrt(rate) * normal())));
  }
  write(file, values);
}

/**
 * `bursty-seconds`: 4 hours per second of whole requests from a Poisson process whose rate (6 req/s
 * on average) drifts slowly (an AR(1) of about 25 % lasting about ten minutes) and doubles in bursts
 * (entered about every ten minutes, 30 s long on average): noise-dominated like the Azure trace, from
 * a different process, to check the noise margin on more than one trace.
 */
export function burstySecondsTrace(file, rows = 4 * 3600) {
  const { uniform, normal } = generator(99);
  const poisson = (mean) => {
    let k = 0;
    for (let p = uniform(), limit = Math.exp(-mean); p > limit; p *= uniform()) k++;
    return k;
  };
  const values = [];
  let drift = 0;
  let burst = false;
  for (let i = 0; i < rows; i++) {
    drift = 0.998 * drift + 0.25 * Math.sqrt(1 - 0.998 ** 2) * normal();
    burst = burst ? uniform() > 1 / 30 : uniform() < 1 / 600;
    values.push(poisson(6 * Math.exp(drift) * (burst ? 2 : 1)));
  }
  writeFileSync(file, ['timestamp,requests', ...values.map((v, i) => `${START + i},${v}`)].join('\n'));
}
