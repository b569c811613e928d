import type { DraftIssue } from '../../api/types';
import { humanize } from '../../format';
import { formFieldOf } from './terms-form';

/** What the extraction could not decide, shown before anything else so the reviewer fixes it. */
export function DraftIssues({ issues }: { issues: DraftIssue[] }) {
  if (issues.length === 0) {
    return (
      <p class="notice notice-ok" role="status">
        The extraction found no issues.
      </p>
    );
  }
  return (
    <div class="notice notice-warn" role="region" aria-labelledby="draft-issues-title">
      <h2 id="draft-issues-title">
        {issues.length === 1 ? '1 issue needs attention' : `${issues.length} issues need attention`}
      </h2>
      <DraftIssueList issues={issues} />
    </div>
  );
}

export function DraftIssueList({ issues }: { issues: DraftIssue[] }) {
  return (
    <ul class="issue-list">
      {issues.map((issue, i) => {
        const target =
          formFieldOf(issue.field) ??
          (issue.field?.startsWith('unmatchedLineItems') ? 'unmatchedLineItems' : null);
        return (
          <li key={`${issue.code}-${i}`}>
            {issue.blocking ? <span class="tag tag-bad">blocking</span> : null}{' '}
            <strong>{humanize(issue.code)}</strong>
            {issue.field ? (
              <> on {target ? <a href={`#field-${target}`}>{issue.field}</a> : <code>{issue.field}</code>}</>
            ) : null}
            {issue.message ? `: ${issue.message}` : null}
          </li>
        );
      })}
    </ul>
  );
}
