import type { DraftIssue } from '../../api/types';
import { humanize } from '../../format';

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
      <ul class="issue-list">
        {issues.map((issue, i) => (
          <li key={`${issue.code}-${i}`}>
            <strong>{humanize(issue.code)}</strong>
            {issue.field ? (
              <>
                {' '}
                on <a href={`#field-${issue.field}`}>{humanize(issue.field)}</a>
              </>
            ) : null}
            {issue.message ? `: ${issue.message}` : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
