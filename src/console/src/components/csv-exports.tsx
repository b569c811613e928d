import { useState } from 'preact/hooks';
import { ApiError, fetchBlob } from '../api/client';
import { useApi } from '../api/hooks';
import { exportCsvPath, type ExportKind } from '../api/queries';
import { ErrorNotice } from './feedback';

const EXPORTS: Array<{ kind: ExportKind; label: string }> = [
  { kind: 'invoices', label: 'Invoices' },
  { kind: 'invoice-lines', label: 'Invoice lines' },
  { kind: 'credit-ledger', label: 'Credit ledger' },
  { kind: 'usage', label: 'Usage by day' },
];

/**
 * The finance CSV exports (GET /v1/exports/{kind}.csv) of one customer, or of the whole environment.
 * The export needs the bearer key, so it is fetched here and saved through a blob URL, as the PDF is.
 */
export function CsvExports({ customerId }: { customerId?: string }) {
  const { key } = useApi();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<ExportKind | null>(null);
  const download = async (kind: ExportKind) => {
    setBusy(kind);
    setError(null);
    try {
      const blob = await fetchBlob(key.apiKey, exportCsvPath(kind, customerId));
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${kind}${customerId ? `-${customerId}` : ''}.csv`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(String(e)));
    } finally {
      setBusy(null);
    }
  };
  return (
    <div class="button-row" role="group" aria-label="Export as CSV">
      <span class="muted small">Export CSV:</span>
      {EXPORTS.map(({ kind, label }) => (
        <button key={kind} type="button" onClick={() => void download(kind)} disabled={busy !== null}>
          {busy === kind ? `${label}…` : label}
        </button>
      ))}
      <ErrorNotice error={error} action="export the CSV" />
    </div>
  );
}
