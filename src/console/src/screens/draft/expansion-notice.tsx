import type { DraftExpansion } from '../../api/types';
import { Link } from '../../components/link';
import { DraftIssueList } from './draft-issues';

/**
 * The deal is a self-serve customer's expansion: confirming ends that customer's self-serve contract the day
 * before the new start. The reviewer chooses whether its unexpired promotional credits carry over.
 */
export function ExpansionNotice({
  expansion,
  carryOver,
  onCarryOverChange,
  editable,
}: {
  expansion: DraftExpansion;
  carryOver: boolean;
  onCarryOverChange: (value: boolean) => void;
  editable: boolean;
}) {
  return (
    <div class="notice" role="note">
      <p>
        <strong>Expansion of {expansion.customerName}</strong>: confirming ends their self-serve contract (
        <Link href={`/customers/${expansion.customerId}`}>{expansion.contractId}</Link>) the day before this
        contract starts, prorated, with no days billed twice.
      </p>
      {expansion.note ? <p class="muted">Their request: “{expansion.note}”</p> : null}
      {expansion.issues.length ? <DraftIssueList issues={expansion.issues} /> : null}
      {editable ? (
        <label>
          <input
            type="checkbox"
            checked={carryOver}
            onChange={(event) => onCarryOverChange((event.target as HTMLInputElement).checked)}
          />{' '}
          Carry unexpired promotional credits over to the new contract
        </label>
      ) : null}
    </div>
  );
}
