import type { DraftChange } from '../../api/types';
import { Panel } from '../../components/page';

/** Fields the deal changed in Salesforce since the draft was last synced (before → after). */
export function DraftChanges({ changes }: { changes: DraftChange[] }) {
  return (
    <Panel title="What changed since the last sync" id="draft-changes">
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
                  <th scope="row">
                    <code>{change.field}</code>
                  </th>
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
