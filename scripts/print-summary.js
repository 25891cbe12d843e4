// Prints the plain closing line CI reads: `N passed, N failed`. Failed non-Jest steps
// (type-check, lint) count as failures so they cannot hide behind green tests.
'use strict';
const fs = require('node:fs');
const [file, extraFailed = '0'] = process.argv.slice(2);
let passed = 0;
let failed = Number(extraFailed);

try {
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed = r.numPassedTests;
  failed += r.numFailedTests;
  // A suite that fails to load has no failed tests but must still fail the run.
  const suitesFailed = r.testResults.filter(
    (t) => t.status === 'failed' && t.assertionResults.every((a) => a.status !== 'failed'),
  ).length;
  failed += suitesFailed;
  if (r.numTotalTests === 0) failed += 1;
} catch (err) {
  console.error(`cannot read Jest results (${err.message})`);
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
