export { describeConformance, type ConformanceOptions } from './describe-conformance.js';
export { caseInputs, checkForward, checkGradient, relativeError, type CheckResult } from './check-case.js';
export { runConformance, type ConformanceRow } from './run-conformance.js';
export { conformanceCases, type ConformanceCase, type InputKind, type InputSpec } from './cases.js';
