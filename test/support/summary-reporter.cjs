/**
 * Prints one plain closing line, `jest: N passed, N failed, N skipped`, after the default reporter's
 * summary, so tools that read a run's last lines (CI) see the counts in a runner-neutral form.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stderr.write(
      `jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`,
    );
  }
}

module.exports = SummaryReporter;
