import { useFeature, useQuery } from '../api/hooks';
import { CATALOG, FEATURES } from '../api/queries';
import type { Connection, Meter, Plan, Pricing } from '../api/types';
import { ErrorNotice, Loading, Unavailable } from '../components/feedback';
import { Page, Panel } from '../components/page';
import {
  dimensionsLabel,
  formatEffectiveRange,
  formatMoney,
  formatQuantity,
  formatRate,
  humanize,
} from '../format';
import { pricingTermsPhrases } from './pricing-terms';

interface CatalogData {
  meters: Connection<Meter>;
  pricings: Connection<Pricing>;
  plans: Connection<Plan>;
}

function MeterCard({ meter, pricings }: { meter: Meter; pricings: Pricing[] }) {
  const fallbacks = pricings.filter((p) => p.meter?.code === meter.code && p.fallbackRate !== null);
  return (
    <article class="meter" aria-labelledby={`meter-${meter.id}`}>
      <h3 id={`meter-${meter.id}`}>
        {meter.displayName} <code>{meter.code}</code>
      </h3>
      <p class="muted small">
        {humanize(meter.aggregation)}
        {meter.aggregationKey ? ` of ${meter.aggregationKey}` : ''} over <code>{meter.eventName}</code> events
        {meter.groupKeys.length ? `, by ${meter.groupKeys.join(', ')}` : ''}
      </p>
      {meter.rateCards.map((card) => (
        <table key={card.id} class="rates">
          <caption>Rate card: {card.name}</caption>
          <thead>
            <tr>
              <th scope="col">Dimension</th>
              <th scope="col" class="num">
                Rate
              </th>
              <th scope="col">Effective</th>
            </tr>
          </thead>
          <tbody>
            {card.entries.map((entry) => (
              <tr key={entry.id} class={Object.keys(entry.dimensions).length ? undefined : 'fallback'}>
                <th scope="row">{dimensionsLabel(entry.dimensions, meter.groupKeys)}</th>
                <td class="num">{formatRate(entry.rate, '')}</td>
                <td>{formatEffectiveRange(entry.effectiveFrom, entry.effectiveTo)}</td>
              </tr>
            ))}
            {fallbacks.map((pricing) => (
              <tr key={pricing.id} class="fallback">
                <th scope="row">Fallback ({pricing.name})</th>
                <td class="num">{formatRate(pricing.fallbackRate, '', pricing.unitSize)}</td>
                <td>No entry matches</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
      {meter.rateCards.length === 0 ? <p class="empty">No rate card.</p> : null}
    </article>
  );
}

function PricingsTable({ pricings }: { pricings: Pricing[] }) {
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Pricing</th>
            <th scope="col">Kind</th>
            <th scope="col">Meter</th>
            <th scope="col">Model</th>
            <th scope="col" class="num">
              Unit size
            </th>
            <th scope="col">Rate card</th>
            <th scope="col" class="num">
              Fallback / flat
            </th>
            <th scope="col">Terms</th>
          </tr>
        </thead>
        <tbody>
          {pricings.map((pricing) => (
            <tr key={pricing.id}>
              <th scope="row">{pricing.name}</th>
              <td>{humanize(pricing.kind)}</td>
              <td>{pricing.meter ? <code>{pricing.meter.code}</code> : '—'}</td>
              <td>{humanize(pricing.model)}</td>
              <td class="num">{formatQuantity(pricing.unitSize)}</td>
              <td>{pricing.rateCard?.name ?? '—'}</td>
              <td class="num">
                {pricing.flatAmount !== null
                  ? formatMoney(pricing.flatAmount, '')
                  : formatRate(pricing.fallbackRate, '')}
              </td>
              <td>
                {pricingTermsPhrases(pricing).map((phrase) => (
                  <div key={phrase}>{phrase}</div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PlansTable({ plans }: { plans: Plan[] }) {
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Plan</th>
            <th scope="col">Currency</th>
            <th scope="col">Billing</th>
            <th scope="col">Payment terms</th>
            <th scope="col">Pricings</th>
          </tr>
        </thead>
        <tbody>
          {plans.map((plan) => (
            <tr key={plan.id}>
              <th scope="row">
                {plan.name}
                {plan.isPublic ? <span class="tag">self-serve</span> : null}
                {plan.description ? <div class="muted small">{plan.description}</div> : null}
              </th>
              <td>{plan.currency}</td>
              <td>{humanize(plan.billingCycle)}</td>
              <td>{plan.netTermsDays} days</td>
              <td>
                {plan.items
                  .map((item) =>
                    formatQuantity(item.quantity) === '1'
                      ? item.pricing.name
                      : `${item.pricing.name} × ${formatQuantity(item.quantity)}`,
                  )
                  .join(', ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Meters with their rate cards (and the fallback), pricings and plans. Read-only. */
export function CatalogScreen() {
  const available = useFeature('catalog');
  const { data, error, loading } = useQuery<CatalogData>(CATALOG, {}, { skip: !available });
  return (
    <Page
      title="Catalog"
      subtitle="Read-only: engineering manages meters, rate cards, pricing and plans through the API."
    >
      {!available ? <Unavailable fields={FEATURES.catalog} /> : null}
      <ErrorNotice error={error} action="load the catalog" />
      {loading && !data ? <Loading what="the catalog" /> : null}
      {data ? (
        <>
          <Panel title="Meters and rate cards">
            {data.meters.nodes.length === 0 ? <p class="empty">No meters.</p> : null}
            <div class="meters">
              {data.meters.nodes.map((meter) => (
                <MeterCard key={meter.id} meter={meter} pricings={data.pricings.nodes} />
              ))}
            </div>
          </Panel>
          <Panel title="Pricing">
            <PricingsTable pricings={data.pricings.nodes} />
          </Panel>
          <Panel title="Plans">
            <PlansTable plans={data.plans.nodes} />
          </Panel>
        </>
      ) : null}
    </Page>
  );
}
