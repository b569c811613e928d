import type { ProductMatch } from '../../api/types';
import { dimensionsLabel, formatQuantity, formatRate, humanize } from '../../format';
import { Panel } from '../../components/page';

function DimensionalRates({ match, currency }: { match: ProductMatch; currency: string }) {
  const groupKeys = match.pricing?.meter?.groupKeys;
  return (
    <table class="rates">
      <caption>
        {match.rates.length} dimensional {match.rates.length === 1 ? 'rate' : 'rates'}
        {groupKeys?.length ? ` by ${groupKeys.join(' / ')}` : ''}
      </caption>
      <thead>
        <tr>
          <th scope="col">Dimension</th>
          <th scope="col" class="num">
            Rate
          </th>
          <th scope="col">From</th>
        </tr>
      </thead>
      <tbody>
        {match.rates.map((rate) => (
          <tr key={JSON.stringify(rate.dimensions)} class={rate.source === 'OVERRIDE' ? 'override' : undefined}>
            <th scope="row">{dimensionsLabel(rate.dimensions, groupKeys)}</th>
            <td class="num">{formatRate(rate.rate, currency, match.pricing?.unitSize)}</td>
            <td>{humanize(rate.source)}</td>
          </tr>
        ))}
        {match.pricing?.fallbackRate ? (
          <tr class="fallback">
            <th scope="row">Anything else (fallback)</th>
            <td class="num">{formatRate(match.pricing.fallbackRate, currency, match.pricing.unitSize)}</td>
            <td>Pricing</td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}

function ProductMatchCard({ match, currency }: { match: ProductMatch; currency: string }) {
  const title = match.productName ?? match.productCode ?? 'Unnamed product';
  return (
    <article class={`match${match.matched ? '' : ' match-missing'}`} aria-label={title}>
      <header>
        <h3>{title}</h3>
        <p class="muted small">
          {match.productCode ? `Product code ${match.productCode}` : 'No product code'}
          {match.quantity ? ` · quantity ${formatQuantity(match.quantity)}` : ''}
        </p>
      </header>
      {match.matched && match.pricing ? (
        <>
          <p>
            Matched to <strong>{match.pricing.name}</strong>
            {match.pricing.meter ? <span class="muted"> (meter {match.pricing.meter.code})</span> : null}
          </p>
          <DimensionalRates match={match} currency={currency} />
        </>
      ) : (
        <p class="field-error">Not matched to the catalog: map its product code or remove it from the deal.</p>
      )}
    </article>
  );
}

/** Each product of the deal with the pricing it matched and every dimensional rate the customer will pay. */
export function ProductMatches({ matches, currency }: { matches: ProductMatch[]; currency: string }) {
  return (
    <Panel title="Product matching" id="product-matching">
      {matches.length === 0 ? (
        <p class="empty">The deal has no products.</p>
      ) : (
        <div class="matches">
          {matches.map((match, i) => (
            <ProductMatchCard key={`${match.productCode}-${i}`} match={match} currency={currency} />
          ))}
        </div>
      )}
    </Panel>
  );
}
