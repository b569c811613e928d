import type { DraftPricing, DraftTerms } from '../../api/types';
import { dimensionsLabel, formatMoney, formatQuantity, formatRate } from '../../format';
import { Panel } from '../../components/page';

function DimensionalRates({ pricing, currency }: { pricing: DraftPricing; currency: string }) {
  const keys = Object.keys(pricing.rates.find((r) => Object.keys(r.dimensions).length)?.dimensions ?? {});
  return (
    <table class="rates">
      <caption>
        {pricing.rates.length} dimensional {pricing.rates.length === 1 ? 'rate' : 'rates'}
        {keys.length ? ` by ${keys.join(' / ')}` : ''}
      </caption>
      <thead>
        <tr>
          <th scope="col">Dimension</th>
          <th scope="col" class="num">
            Rate
          </th>
        </tr>
      </thead>
      <tbody>
        {[...pricing.rates]
          .sort((a, b) =>
            dimensionsLabel(a.dimensions, keys).localeCompare(dimensionsLabel(b.dimensions, keys)),
          )
          .map((rate) => (
            <tr key={JSON.stringify(rate.dimensions)} class={rate.overridden ? 'override' : undefined}>
              <th scope="row">{dimensionsLabel(rate.dimensions, keys)}</th>
              <td class="num">
                {formatRate(rate.rate, currency)}
                {rate.overridden && rate.catalogRate ? (
                  <div class="muted small">
                    catalog <del>{formatRate(rate.catalogRate, currency)}</del>
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        {pricing.fallbackRate ? (
          <tr class="fallback">
            <th scope="row">Anything else (fallback)</th>
            <td class="num">{formatRate(pricing.fallbackRate, currency)}</td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}

function ProductMatchCard({ pricing, currency }: { pricing: DraftPricing; currency: string }) {
  return (
    <article class="match" aria-labelledby={`match-${pricing.pricingId}`}>
      <h3 id={`match-${pricing.pricingId}`}>{pricing.name}</h3>
      <p class="muted small">
        {pricing.meterCode ? `Meter ${pricing.meterCode} · ` : ''}
        {pricing.fromPlan ? 'from the plan' : 'named in the deal'}
      </p>
      <DimensionalRates pricing={pricing} currency={currency} />
    </article>
  );
}

function UnmatchedItems({ items, currency }: { items: DraftTerms['unmatchedLineItems']; currency: string }) {
  if (items.length === 0) return null;
  return (
    <div class="notice notice-warn" id="field-unmatchedLineItems">
      <h3>Deal products not matched to the catalog</h3>
      <ul class="issue-list">
        {items.map((item, i) => (
          <li key={item.lineItemId ?? i}>
            <strong>{item.productName ?? item.productCode ?? 'Unnamed product'}</strong>
            {item.productCode ? (
              <>
                {' '}
                (code <code>{item.productCode}</code>)
              </>
            ) : null}
            {item.quantity ? ` · quantity ${formatQuantity(item.quantity)}` : ''}
            {item.unitPrice ? ` · ${formatMoney(item.unitPrice, currency)} each` : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Product matching: each matched pricing with all its dimensional rates, then what did not match. */
export function ProductMatches({ terms, currency }: { terms: DraftTerms; currency: string }) {
  const content = terms;
  return (
    <Panel title="Product matching" id="product-matching">
      {terms.pricings.length === 0 ? (
        <p class="empty">No usage pricing is matched yet: choose a plan.</p>
      ) : null}
      <div class="matches">
        {terms.pricings.map((pricing) => (
          <ProductMatchCard key={pricing.pricingId} pricing={pricing} currency={currency} />
        ))}
      </div>
      {content.flatFees.length ? (
        <table class="rates">
          <caption>Flat fees</caption>
          <tbody>
            {content.flatFees.map((fee, i) => (
              <tr key={i}>
                <th scope="row">{fee.description}</th>
                <td class="num">
                  {formatQuantity(fee.quantity)} × {formatMoney(fee.unitPrice, currency)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <UnmatchedItems items={content.unmatchedLineItems} currency={currency} />
      <p class="muted small">Rates negotiated in the deal are marked as contract rates.</p>
    </Panel>
  );
}
