// The simulator's model as a library: pure and deterministic, for replaying traces in simulated time.
export { ClusterModel, type StepResult } from './cluster';
export { createLoad, type LoadSource, traceLoad } from './patterns';
export { normal, seededRandom } from './random';
export { columnsOf, parseTrace, separatorOf, type Trace, TraceError } from './trace';
