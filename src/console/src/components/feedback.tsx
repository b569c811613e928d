import type { ApiError } from '../api/client';

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function ErrorNotice({ error, action }: { error: ApiError | null; action?: string }) {
  if (!error) return null;
  return (
    <div class="notice notice-error" role="alert">
      <strong>{action ? `Could not ${action}.` : 'Something went wrong.'}</strong> {error.message}
      {error.code ? <span class="muted"> ({error.code})</span> : null}
    </div>
  );
}

/** Shown instead of a screen whose GraphQL fields this server does not offer (yet). */
export function Unavailable({ fields }: { fields: readonly string[] }) {
  return (
    <div class="notice" role="note">
      This server's API does not offer {fields.map((f) => f.split('.')[1]).join(', ')}, so this screen is not
      available here.
    </div>
  );
}

const TONES: Record<string, string> = {
  PENDING_REVIEW: 'warn',
  PENDING: 'warn',
  DRAFT: 'info',
  ACTIVE: 'ok',
  CONFIRMED: 'ok',
  FINALIZED: 'ok',
  PAID: 'ok',
  REJECTED: 'bad',
  VOID: 'bad',
  VOIDED: 'bad',
  CANCELLED: 'bad',
  EXPIRED: 'muted',
  ENDED: 'muted',
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span class={`badge badge-${TONES[status] ?? 'muted'}`}>{status.replace(/_/g, ' ').toLowerCase()}</span>
  );
}
