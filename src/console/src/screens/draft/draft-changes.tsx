import type { DraftChange } from '../../api/types';
import { formatDateTime, humanize } from '../../format';
import { Panel } from '../../components/page';

/** Fields the deal changed in Salesforce since the draft was last synced (before → after). */
export function DraftChanges({ changes, lastSyncedAt }: { changes: DraftChange[]; lastSyncedAt: string | null }) {
  return (
    <Panel title="What changed since the last sync" id="draft-changes">
      {lastSyncedAt ? <p class="muted small">Last synced {formatDateTime(lastSyncedAt)}.</p> : null}
      {changes.length === 0 ? (
        <p class="empty">Nothing changed since the last sync.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Before</th>
                <th scope="col">Now</th>
              </tr>
            </thead>
            <tbody>
              {changes.map((change) => (
                <tr key={change.field} class="changed">
                  <th scope="row">{humanize(change.field)}</th>
                  <td>
                    <del>{change.before ?? '—'}</del>
                  </td>
                  <td>
                    <ins>{change.after ?? '—'}</ins>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
