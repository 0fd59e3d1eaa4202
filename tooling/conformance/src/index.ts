export { describeConformance, relativeError, type ConformanceOptions } from './describe-conformance.js';
export { conformanceCases, type ConformanceCase, type InputKind, type InputSpec } from './cases.js';
