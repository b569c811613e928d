/**
 * Contract Extraction benchmark: `npm run bench:extraction`.
 *
 * Starts Tally with its workers on a scratch database (BENCH_EXTRACTION_DATABASE_URL, default
 * mysql://root@127.0.0.1:3306/tally_bench_extraction, dropped and recreated), creates the catalog described
 * in the corpus README (BENCH_CONTRACT_DOCUMENTS, default ../shared/contract-documents) through the GraphQL
 * API, uploads every document through `POST /v1/contract-documents` one at a time, waits for its draft and
 * compares it with `<name>.expected.json`: per document and per field right / wrong / empty (left empty), the
 * wrong values read with high confidence, and the time per page (upload to draft read, on this machine).
 */
import 'reflect-metadata';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { App } from '../src/app';
import { loadConfig } from '../src/config/config';
import { createLogger } from '../src/logger';
import { parseCorpusCatalog } from './extraction-catalog';
import { benchOrganization, dropDatabase, recreateDatabase } from './support';

const DATABASE_URL =
  process.env.BENCH_EXTRACTION_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/tally_bench_extraction';
/** The corpus beside the repository (../shared), or beside the folder of worktrees holding it. */
const CORPUS = resolve(
  process.env.BENCH_CONTRACT_DOCUMENTS ??
    [join(__dirname, '..', '..', 'shared'), join(__dirname, '..', '..', '..', 'shared')]
      .map((dir) => join(dir, 'contract-documents'))
      .find((dir) => existsSync(dir)) ??
    join(__dirname, '..', '..', 'shared', 'contract-documents'),
);
const ORGANIZATION = process.env.BENCH_ORGANIZATION_NAME ?? 'Bench vendor';
const TIMEOUT_MS = Number(process.env.BENCH_DOCUMENT_TIMEOUT_MS ?? 120_000);

type Outcome = 'right' | 'wrong' | 'empty';
interface Expected {
  customer: { legalName: string | null; billingEmail: string | null };
  contract: {
    startDate: string | null;
    endDate: string | null;
    billingCycle: string | null;
    paymentTermsDays: number | null;
    autoPay: boolean | null;
    currency: string | null;
  };
  plan: string | null;
  prepaidCredits: Array<{ amountPaid: string; creditAmount: string; expiresAt: string | null }>;
  promotionalCredits: Array<{ amount: string; expiresAt: string | null }>;
  rates: Array<{ meter: string; dimensions: Record<string, string>; rate: string }>;
}

const DRAFT = `id contractStart contractEnd paymentTermsDays billingCycle autoPay currency
  customer { proposedName proposedEmail } plan { planId } issues { code message }
  rateOverrides { pricingId dimensions rate }
  document { status pages error errorCode method evidence { field value confidence } }`;

interface Draft {
  contractStart: string | null;
  contractEnd: string | null;
  paymentTermsDays: number | null;
  billingCycle: string | null;
  autoPay: boolean | null;
  currency: string | null;
  customer: { proposedName: string | null; proposedEmail: string | null };
  plan: { planId: string } | null;
  issues: Array<{ code: string; message: string }>;
  rateOverrides: Array<{ pricingId: string; dimensions: Record<string, string>; rate: string }>;
  document: {
    status: string;
    method: string | null;
    pages: number | null;
    error: string | null;
    errorCode: string | null;
    evidence: Array<{ field: string; value: string | null; confidence: number }>;
  };
}

async function main(): Promise<void> {
  await recreateDatabase(DATABASE_URL);
  const config = {
    ...loadConfig({}),
    databaseUrl: DATABASE_URL,
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent' as const,
  };
  const app = await App.start(config, { log: createLogger('silent'), workers: true });
  const { org } = await benchOrganization(app, ORGANIZATION);
  const gql = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${org.apiKey}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data!;
  };

  // The catalog, as the corpus README describes it.
  const catalog = parseCorpusCatalog(readFileSync(join(CORPUS, 'README.md'), 'utf8'));
  const pricingByMeter = new Map<string, string>();
  const meterOfPricing = new Map<string, string>();
  for (const meter of catalog.meters) {
    await gql('mutation($input: CreateMeterInput!) { createMeter(input: $input) { id } }', {
      input: {
        code: meter.code,
        displayName: meter.displayName,
        eventName: meter.code.toLowerCase(),
        aggregation: 'SUM',
        aggregationKey: 'quantity',
        groupKeys: meter.dimensions.map((d) => d.key),
      },
    });
    const card = await gql<{ createRateCard: { id: string } }>(
      'mutation($input: CreateRateCardInput!) { createRateCard(input: $input) { id } }',
      { input: { meterCode: meter.code, name: `${meter.displayName} rates`, entries: meter.rates } },
    );
    const pricing = await gql<{ createPricing: { id: string } }>(
      'mutation($input: CreatePricingInput!) { createPricing(input: $input) { id } }',
      {
        input: {
          name: meter.displayName,
          meterCode: meter.code,
          model: 'PER_UNIT',
          fallbackRate: meter.fallbackRate ?? meter.rates[0].rate,
          rateCardId: card.createRateCard.id,
        },
      },
    );
    pricingByMeter.set(meter.code, pricing.createPricing.id);
    meterOfPricing.set(pricing.createPricing.id, meter.code);
  }
  const planNames = new Map<string, string>();
  const planTerms = new Map<string, { billingCycle: string; paymentTermsDays: number }>();
  for (const plan of catalog.plans) {
    const items = plan.meterCodes.map((code) => ({ pricingId: pricingByMeter.get(code)! }));
    for (const fee of plan.flatFees) {
      const created = await gql<{ createFlatFee: { id: string } }>(
        'mutation($input: CreateFlatFeeInput!) { createFlatFee(input: $input) { id } }',
        { input: { name: fee.name, amount: fee.amount } },
      );
      items.unshift({ pricingId: created.createFlatFee.id });
    }
    const created = await gql<{ createPlan: { id: string } }>(
      'mutation($input: CreatePlanInput!) { createPlan(input: $input) { id } }',
      {
        input: {
          name: plan.name,
          currency: 'USD',
          billingCycle: plan.billingCycle ?? 'MONTHLY',
          netTermsDays: plan.netTermsDays ?? 30,
          items,
        },
      },
    );
    planNames.set(created.createPlan.id, plan.name);
    planTerms.set(created.createPlan.id, {
      billingCycle: plan.billingCycle ?? 'MONTHLY',
      paymentTermsDays: plan.netTermsDays ?? 30,
    });
  }

  const files = readdirSync(CORPUS)
    .filter((f) => /\.(pdf|png|jpe?g)$/i.test(f))
    .sort();
  const totals = new Map<string, Record<Outcome, number>>();
  const rows: string[] = [];
  let confidentWrong = 0;
  type Outcomes = ReturnType<typeof compare>;
  const textTotals: Outcomes[] = [];
  const ocrTotals: Outcomes[] = [];
  const unreadTotals: Outcomes[] = [];
  const bornDigitalOrOcr = (_file: string, draft: Draft) =>
    draft.document.evidence.length && draft.document.method === 'OCR' ? ocrTotals : textTotals;
  const timing: Array<{ file: string; pages: number; ms: number; read: boolean }> = [];
  for (const file of files) {
    const expected = JSON.parse(
      readFileSync(join(CORPUS, file.replace(/\.\w+$/, '.expected.json')), 'utf8'),
    ) as Expected;
    const bytes = readFileSync(join(CORPUS, file));
    const type = file.endsWith('.pdf')
      ? 'application/pdf'
      : file.endsWith('.png')
        ? 'image/png'
        : 'image/jpeg';
    const started = performance.now();
    const response = await fetch(`${app.url}/v1/contract-documents`, {
      method: 'POST',
      headers: { 'content-type': type, authorization: `Bearer ${org.apiKey}`, 'x-filename': file },
      body: bytes,
    });
    const upload = (await response.json()) as { draftId?: string; error?: unknown };
    if (!upload.draftId) throw new Error(`${file}: upload refused ${JSON.stringify(upload)}`);
    let draft: Draft;
    for (;;) {
      draft = (
        await gql<{ contractDraft: Draft }>(`query($id: ID!) { contractDraft(id: $id) { ${DRAFT} } }`, {
          id: upload.draftId,
        })
      ).contractDraft;
      if (draft.document.status !== 'PROCESSING') break;
      if (performance.now() - started > TIMEOUT_MS)
        throw new Error(`${file}: not read within ${TIMEOUT_MS} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const ms = performance.now() - started;
    const read = draft.document.status === 'DONE';
    timing.push({ file, pages: draft.document.pages ?? 0, ms, read });
    const outcomes = compare(expected, withPlanTerms(draft, planTerms), planNames, meterOfPricing);
    // A document that was not read proposes nothing: every field is empty, even an expected empty list.
    if (!read)
      for (const field of Object.keys(outcomes)) outcomes[field] = { outcome: 'empty', confidence: null };
    (read ? bornDigitalOrOcr(file, draft) : unreadTotals).push(outcomes);
    for (const [field, { outcome, confidence }] of Object.entries(outcomes)) {
      const total = totals.get(field) ?? { right: 0, wrong: 0, empty: 0 };
      total[outcome]++;
      totals.set(field, total);
      if (outcome === 'wrong' && confidence !== null && confidence >= 0.9) confidentWrong++;
    }
    const count = (o: Outcome) => Object.values(outcomes).filter((x) => x.outcome === o).length;
    const wrongFields = Object.entries(outcomes)
      .filter(([, x]) => x.outcome === 'wrong')
      .map(([f]) => f);
    rows.push(
      `  ${file.padEnd(42)} ${read ? 'read    ' : `NOT READ (${draft.document.errorCode})`.padEnd(8)} right ${String(count('right')).padStart(2)}  wrong ${count('wrong')}  empty ${String(count('empty')).padStart(2)}` +
        `  ${(ms / Math.max(1, draft.document.pages ?? 1) / 1000).toFixed(2)} s/page${wrongFields.length ? `  wrong: ${wrongFields.join(', ')}` : ''}`,
    );
  }
  await app.stop();
  await dropDatabase(DATABASE_URL);

  console.log(`Contract Extraction benchmark (${new Date().toISOString()}), corpus ${CORPUS}`);
  console.log('Per document:');
  rows.forEach((r) => console.log(r));
  console.log('Per field (right / wrong / empty):');
  for (const [field, t] of totals) console.log(`  ${field.padEnd(20)} ${t.right} / ${t.wrong} / ${t.empty}`);
  const share = (readOnly: boolean) => {
    const docs = new Set(timing.filter((t) => t.read === readOnly).map((t) => t.file));
    return docs.size;
  };
  const all = [...totals.values()].reduce(
    (a, t) => ({ right: a.right + t.right, wrong: a.wrong + t.wrong, empty: a.empty + t.empty }),
    { right: 0, wrong: 0, empty: 0 },
  );
  const fields = all.right + all.wrong + all.empty;
  console.log(
    `All: ${all.right}/${fields} right (${((100 * all.right) / fields).toFixed(1)}%), ${all.wrong} wrong (${confidentWrong} with confidence ≥ 0.9), ${all.empty} empty; documents read ${share(true)}, not read ${share(false)}`,
  );
  for (const [label, group] of [
    ['Text-layer PDFs', textTotals],
    ['OCR (scans, photos)', ocrTotals],
    ['Not read', unreadTotals],
  ] as const) {
    const counts = group
      .flatMap((o) => Object.values(o))
      .reduce((a, x) => ({ ...a, [x.outcome]: a[x.outcome] + 1 }), { right: 0, wrong: 0, empty: 0 } as Record<
        Outcome,
        number
      >);
    const n = counts.right + counts.wrong + counts.empty;
    if (n)
      console.log(
        `  ${label.padEnd(20)} ${group.length} documents: ${counts.right}/${n} right (${((100 * counts.right) / n).toFixed(1)}%), ${counts.wrong} wrong, ${counts.empty} empty`,
      );
  }
  const readPages = timing.filter((t) => t.read);
  const pages = readPages.reduce((n, t) => n + t.pages, 0);
  const ms = readPages.reduce((n, t) => n + t.ms, 0);
  console.log(
    `Time: ${(ms / Math.max(1, pages) / 1000).toFixed(2)} s per page read (${pages} pages, upload to draft)`,
  );
}

const same = (a: string | null | undefined, b: string | null | undefined) =>
  (a ?? '').toLowerCase().replace(/\s+/g, ' ').trim() === (b ?? '').toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * Where the document says a term is the plan's ("as set out in the Pro plan"), the draft leaves it empty
 * with a note saying so, and the contract takes the plan's: that is the value compared.
 */
function withPlanTerms(
  draft: Draft,
  planTerms: Map<string, { billingCycle: string; paymentTermsDays: number }>,
): Draft {
  const plan = draft.plan ? planTerms.get(draft.plan.planId) : undefined;
  const saysPlan = (code: string) =>
    draft.issues.some((i) => i.code === code && /document says/i.test(i.message));
  return {
    ...draft,
    billingCycle:
      draft.billingCycle ?? (plan && saysPlan('BILLING_CYCLE_FROM_PLAN') ? plan.billingCycle : null),
    paymentTermsDays:
      draft.paymentTermsDays ?? (plan && saysPlan('PAYMENT_TERMS_FROM_PLAN') ? plan.paymentTermsDays : null),
  };
}

function compare(
  expected: Expected,
  draft: Draft,
  planNames: Map<string, string>,
  meterOfPricing: Map<string, string>,
): Record<string, { outcome: Outcome; confidence: number | null }> {
  const evidence = new Map(draft.document.evidence.map((e) => [e.field, e]));
  const confidence = (field: string) => evidence.get(field)?.confidence ?? null;
  const scalar = (
    field: string,
    want: unknown,
    got: unknown,
    read: boolean,
    equal = (a: unknown, b: unknown) => a === b,
  ) => ({
    outcome: (!read ? 'empty' : equal(want, got) ? 'right' : 'wrong') as Outcome,
    confidence: confidence(field),
  });
  const out: Record<string, { outcome: Outcome; confidence: number | null }> = {};
  out.legalName = scalar(
    'customer.legalName',
    expected.customer.legalName,
    draft.customer.proposedName,
    draft.customer.proposedName !== null,
    (a, b) => same(a as string, b as string),
  );
  out.billingEmail = scalar(
    'customer.billingEmail',
    expected.customer.billingEmail,
    draft.customer.proposedEmail,
    draft.customer.proposedEmail !== null || expected.customer.billingEmail === null,
    (a, b) => same(a as string, b as string),
  );
  out.startDate = scalar(
    'contractStart',
    expected.contract.startDate,
    draft.contractStart,
    draft.contractStart !== null,
  );
  out.endDate = scalar(
    'contractEnd',
    expected.contract.endDate,
    draft.contractEnd,
    evidence.has('contractEnd'),
  );
  out.billingCycle = scalar(
    'billingCycle',
    expected.contract.billingCycle,
    draft.billingCycle,
    draft.billingCycle !== null,
  );
  out.paymentTermsDays = scalar(
    'paymentTermsDays',
    expected.contract.paymentTermsDays,
    draft.paymentTermsDays,
    draft.paymentTermsDays !== null,
  );
  out.autoPay = scalar('autoPay', expected.contract.autoPay, draft.autoPay, draft.autoPay !== null);
  out.currency = scalar('currency', expected.contract.currency, draft.currency, evidence.has('currency'));
  out.plan = scalar(
    'plan',
    expected.plan,
    draft.plan ? planNames.get(draft.plan.planId) : null,
    draft.plan !== null,
  );
  const list = <T>(field: string, want: T[], got: T[], key: (x: T) => string) => {
    const a = want.map(key).sort().join(';');
    const b = got.map(key).sort().join(';');
    const outcome: Outcome = a === b ? 'right' : !got.length ? 'empty' : 'wrong';
    return { outcome, confidence: confidence(`${field}.0`) };
  };
  const evidenceList = (prefix: string) =>
    [...evidence.entries()]
      .filter(([f]) => f.startsWith(`${prefix}.`))
      .map(([, e]) => JSON.parse(e.value ?? 'null') as Record<string, string | null>);
  out.prepaidCredits = list(
    'prepaidCredits',
    expected.prepaidCredits.map((c) => ({
      paid: c.amountPaid,
      credit: c.creditAmount,
      expires: c.expiresAt,
    })),
    evidenceList('prepaidCredits').map((c) => ({
      paid: c.amountPaid,
      credit: c.creditAmount,
      expires: c.expiresOn,
    })),
    (c) => `${Number(c.paid)}/${Number(c.credit)}/${c.expires}`,
  );
  out.promotionalCredits = list(
    'promotionalCredits',
    expected.promotionalCredits.map((c) => ({ amount: c.amount, expires: c.expiresAt })),
    evidenceList('promotionalCredits').map((c) => ({ amount: c.amount, expires: c.expiresOn })),
    (c) => `${Number(c.amount)}/${c.expires}`,
  );
  out.rates = list(
    'rates',
    expected.rates.map((r) => ({ meter: r.meter, dims: r.dimensions, rate: r.rate })),
    draft.rateOverrides.map((r) => ({
      meter: meterOfPricing.get(r.pricingId) ?? '?',
      dims: r.dimensions,
      rate: r.rate,
    })),
    (r) => `${r.meter}${JSON.stringify(Object.entries(r.dims).sort())}=${Number(r.rate)}`,
  );
  return out;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
