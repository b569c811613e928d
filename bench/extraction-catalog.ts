/**
 * Reads the catalog a contract-documents corpus refers to from its README (the "Catalog the documents
 * refer to" tables) so the bench builds exactly what the documents assume, without copying it into code.
 */
export interface CorpusMeter {
  code: string;
  displayName: string;
  dimensions: Array<{ key: string; values: string[] }>;
  rates: Array<{ dimensions: Record<string, string>; rate: string }>;
  fallbackRate: string | null;
}

export interface CorpusPlan {
  name: string;
  meterCodes: string[];
  flatFees: Array<{ name: string; amount: string }>;
  billingCycle: 'MONTHLY' | 'QUARTERLY' | 'ANNUAL' | null;
  netTermsDays: number | null;
}

function cellsOf(line: string): string[] {
  return line
    .split('|')
    .slice(1, -1)
    .map((c) => c.trim());
}

export function parseCorpusCatalog(readme: string): { meters: CorpusMeter[]; plans: CorpusPlan[] } {
  const meters: CorpusMeter[] = [];
  const plans: CorpusPlan[] = [];
  for (const line of readme.split('\n')) {
    if (!line.startsWith('|')) continue;
    const cells = cellsOf(line);
    const meterCode = /^`([A-Z0-9_]+)`$/.exec(cells[0] ?? '');
    if (meterCode && cells.length >= 5) {
      const dimensions = [...cells[3].matchAll(/`(\w+)`\s*∈\s*\{([^}]*)\}/g)].map((m) => ({
        key: m[1],
        values: m[2].split(',').map((v) => v.trim()),
      }));
      const rates: CorpusMeter['rates'] = [];
      const [first, second] = dimensions;
      for (const value of first.values) {
        const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        const m = new RegExp(`(?:^|[\\s,])${escaped}\\s+([\\d.]+(?:\\s*/\\s*[\\d.]+)*)`).exec(cells[4]);
        if (!m) throw new Error(`No rates for ${value} in "${cells[4]}"`);
        const figures = m[1].split('/').map((f) => f.trim());
        if (second) {
          second.values.forEach((v2, i) =>
            rates.push({ dimensions: { [first.key]: value, [second.key]: v2 }, rate: figures[i] }),
          );
        } else {
          rates.push({ dimensions: { [first.key]: value }, rate: figures[0] });
        }
      }
      meters.push({
        code: meterCode[1],
        displayName: cells[1],
        dimensions,
        rates,
        fallbackRate: /fallback\s+([\d.]+)/.exec(cells[4])?.[1] ?? null,
      });
    }
    const planName = /^\*\*(.+)\*\*$/.exec(cells[0] ?? '');
    if (planName && cells.length >= 4) {
      const cycle = cells[2].toLowerCase();
      plans.push({
        name: planName[1],
        meterCodes: [...cells[1].matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1]),
        flatFees: [...cells[1].matchAll(/flat ([\w ]+?) fee \$([\d,.]+)/g)].map((m) => ({
          name: `${planName[1]} ${m[1]} fee`,
          amount: m[2].replace(/,/g, ''),
        })),
        billingCycle: cycle.startsWith('month')
          ? 'MONTHLY'
          : cycle.startsWith('quarter')
            ? 'QUARTERLY'
            : cycle.startsWith('annual')
              ? 'ANNUAL'
              : null,
        netTermsDays: /net (\d+)/.exec(cells[3])?.[1] ? Number(/net (\d+)/.exec(cells[3])![1]) : null,
      });
    }
  }
  return { meters, plans };
}
