import { AI_CALL_METER } from '../support/seed-catalogs';
import { TestApp, type GraphQLResult } from '../support/test-app';

const CREATE_METER = `mutation($input: CreateMeterInput!) {
  createMeter(input: $input) { id code displayName eventName aggregation aggregationKey groupKeys }
}`;
const CREATE_RATE_CARD = `mutation($input: CreateRateCardInput!) {
  createRateCard(input: $input) {
    id name meter { code }
    entries { dimensions dimensionKey rate effectiveFrom effectiveTo }
  }
}`;
const ADD_ENTRIES = `mutation($id: ID!, $entries: [RateCardEntryInput!]!) {
  addRateCardEntries(rateCardId: $id, entries: $entries) { id entries { dimensionKey rate effectiveFrom effectiveTo } }
}`;
const CREATE_PRICING = `mutation($input: CreatePricingInput!) {
  createPricing(input: $input) {
    id name kind model unitSize fallbackRate flatAmount
    meter { code } rateCard { id } tiers { upTo unitAmount flatAmount }
  }
}`;
const CREATE_PLAN = `mutation($input: CreatePlanInput!) {
  createPlan(input: $input) {
    id name description currency netTermsDays autoPay billingCycle isPublic
    items { quantity pricing { id name kind meter { code } } }
  }
}`;

function expectError(result: GraphQLResult, code: string, field?: string) {
  expect(result.errors?.length).toBe(1);
  expect(result.errors?.[0].extensions?.code).toBe(code);
  if (field !== undefined) expect(result.errors?.[0].extensions?.field).toBe(field);
  expect(result.data).toBeNull();
}

const aiCallMeter = (overrides: Record<string, unknown> = {}) => ({
  ...AI_CALL_METER,
  groupKeys: [...AI_CALL_METER.groupKeys],
  ...overrides,
});

describe('catalog: meters', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.stop());

  it('creates a meter and reads it by id and by code', async () => {
    const { createMeter } = await t.gqlOk<{ createMeter: { id: string } }>(CREATE_METER, {
      input: aiCallMeter(),
    });
    expect(createMeter).toEqual({
      id: expect.stringMatching(/^mtr_/),
      code: 'AI_CALL',
      displayName: 'AI Calls',
      eventName: 'ai_call',
      aggregation: 'SUM',
      aggregationKey: 'duration_minutes',
      groupKeys: ['region', 'call_outcome'],
    });
    const byId = await t.gqlOk<{ meter: { code: string } }>('query($id: ID!) { meter(id: $id) { code } }', {
      id: createMeter.id,
    });
    expect(byId.meter.code).toBe('AI_CALL');
    const byCode = await t.gqlOk<{ meterByCode: { id: string; groupKeys: string[] } }>(
      '{ meterByCode(code: "AI_CALL") { id groupKeys } }',
    );
    expect(byCode.meterByCode).toEqual({ id: createMeter.id, groupKeys: ['region', 'call_outcome'] });
  });

  it('rejects a duplicate code with CONFLICT and writes nothing', async () => {
    const result = await t.gql(CREATE_METER, { input: aiCallMeter({ displayName: 'Again' }) });
    expectError(result, 'CONFLICT', 'input.code');
    const rows = await t.app.db.query('SELECT COUNT(*) AS n FROM meters WHERE code = ?', ['AI_CALL']);
    expect(Number(rows[0].n)).toBe(1);
  });

  it('lets exactly one of several concurrent creations of a code win; the others get CONFLICT', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () => t.gql(CREATE_METER, { input: aiCallMeter({ code: 'RACE' }) })),
    );
    const codes = results.map((r) => r.errors?.[0].extensions?.code ?? 'OK').sort();
    expect(codes).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'OK']);
  });

  it('creates a COUNT meter without aggregation key or group keys', async () => {
    const { createMeter } = await t.gqlOk<{ createMeter: Record<string, unknown> }>(CREATE_METER, {
      input: { code: 'API_CALLS', displayName: 'API calls', eventName: 'api_call', aggregation: 'COUNT' },
    });
    expect(createMeter).toMatchObject({ aggregation: 'COUNT', aggregationKey: null, groupKeys: [] });
  });

  it.each([
    ['an empty code', { code: '  ' }, 'input.code'],
    ['a code with spaces', { code: 'AI CALL' }, 'input.code'],
    ['a too long display name', { code: 'X1', displayName: 'x'.repeat(201) }, 'input.displayName'],
    ['an event name with spaces', { code: 'X2', eventName: 'ai call' }, 'input.eventName'],
    ['SUM without aggregation key', { code: 'X3', aggregationKey: null }, 'input.aggregationKey'],
    ['COUNT with an aggregation key', { code: 'X4', aggregation: 'COUNT' }, 'input.aggregationKey'],
    ['a duplicated group key', { code: 'X5', groupKeys: ['region', 'region'] }, 'input.groupKeys.1'],
    [
      'a group key with a bad character',
      { code: 'X6', groupKeys: ['region', 'call outcome'] },
      'input.groupKeys.1',
    ],
  ])('rejects %s with BAD_USER_INPUT', async (_name, overrides, field) => {
    expectError(await t.gql(CREATE_METER, { input: aiCallMeter(overrides) }), 'BAD_USER_INPUT', field);
  });

  it('rejects an unknown aggregation at the GraphQL layer', async () => {
    const result = await t.gql(CREATE_METER, { input: aiCallMeter({ code: 'X7', aggregation: 'AVG' }) });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('paginates meters with first/after', async () => {
    for (const code of ['P1', 'P2', 'P3']) {
      await t.gqlOk(CREATE_METER, { input: aiCallMeter({ code }) });
    }
    const query = `query($after: String) { meters(first: 2, after: $after) {
      nodes { code } edges { cursor node { code } } pageInfo { hasNextPage endCursor } } }`;
    type Page = {
      meters: {
        nodes: Array<{ code: string }>;
        edges: Array<{ cursor: string; node: { code: string } }>;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: Page = await t.gqlOk<Page>(query, { after });
      pages++;
      expect(page.meters.edges.map((e) => e.node.code)).toEqual(page.meters.nodes.map((n) => n.code));
      seen.push(...page.meters.nodes.map((n) => n.code));
      if (!page.meters.pageInfo.hasNextPage) break;
      expect(page.meters.pageInfo.endCursor).toBe(page.meters.edges[1].cursor);
      after = page.meters.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(['AI_CALL', 'API_CALLS', 'P1', 'P2', 'P3', 'RACE']);
    expectError(await t.gql('{ meters(first: 0) { nodes { id } } }'), 'BAD_USER_INPUT', 'first');
    expectError(await t.gql('{ meters(after: "not-a-cursor") { nodes { id } } }'), 'BAD_USER_INPUT', 'after');
  });
});

describe('catalog: rate cards', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ databaseSuffix: 'rate-cards' });
    await t.gqlOk(CREATE_METER, { input: aiCallMeter() });
    await t.gqlOk(CREATE_METER, { input: aiCallMeter({ code: 'TOKENS', groupKeys: ['model'] }) });
  });
  afterAll(() => t.stop());

  type Card = {
    id: string;
    name: string;
    meter: { code: string };
    entries: Array<{
      dimensions: Record<string, string>;
      dimensionKey: string;
      rate: string;
      effectiveFrom: string;
      effectiveTo: string | null;
    }>;
  };

  it('creates a card whose entries keep their order, canonical keys and exact rates', async () => {
    const { createRateCard } = await t.gqlOk<{ createRateCard: Card }>(CREATE_RATE_CARD, {
      input: {
        meterCode: 'AI_CALL',
        name: 'AI call rates',
        entries: [
          { dimensions: { region: 'US', call_outcome: 'resolved' }, rate: '0.20' },
          { dimensions: { call_outcome: 'escalated', region: 'EU' }, rate: '0.75' },
          { dimensions: {}, rate: '0.000000000001' },
          {
            dimensions: { region: 'APAC', call_outcome: 'resolved' },
            rate: '0.30',
            effectiveFrom: '2026-01-01T00:00:00Z',
            effectiveTo: '2026-07-01T00:00:00Z',
          },
        ],
      },
    });
    expect(createRateCard.meter.code).toBe('AI_CALL');
    expect(createRateCard.entries).toEqual([
      {
        dimensions: { region: 'US', call_outcome: 'resolved' },
        dimensionKey: 'call_outcome=resolved|region=US',
        rate: '0.2',
        effectiveFrom: '1970-01-01T00:00:00.000Z',
        effectiveTo: null,
      },
      {
        dimensions: { call_outcome: 'escalated', region: 'EU' },
        dimensionKey: 'call_outcome=escalated|region=EU',
        rate: '0.75',
        effectiveFrom: '1970-01-01T00:00:00.000Z',
        effectiveTo: null,
      },
      {
        dimensions: {},
        dimensionKey: '',
        rate: '0.000000000001',
        effectiveFrom: '1970-01-01T00:00:00.000Z',
        effectiveTo: null,
      },
      {
        dimensions: { region: 'APAC', call_outcome: 'resolved' },
        dimensionKey: 'call_outcome=resolved|region=APAC',
        rate: '0.3',
        effectiveFrom: '2026-01-01T00:00:00.000Z',
        effectiveTo: '2026-07-01T00:00:00.000Z',
      },
    ]);
    const rows = await t.app.db.query(
      'SELECT dimension_key, rate FROM rate_card_entries WHERE rate_card_id = ? ORDER BY position',
      [createRateCard.id],
    );
    expect(rows.map((r: { dimension_key: string; rate: string }) => [r.dimension_key, r.rate])).toEqual([
      ['call_outcome=resolved|region=US', '0.200000000000'],
      ['call_outcome=escalated|region=EU', '0.750000000000'],
      ['', '0.000000000001'],
      ['call_outcome=resolved|region=APAC', '0.300000000000'],
    ]);
  });

  const entries = (list: Array<Record<string, unknown>>) => ({
    input: { meterCode: 'AI_CALL', name: 'bad', entries: list },
  });
  const ok = { dimensions: { region: 'US' }, rate: '1' };

  it.each([
    [
      'a key that is not a group key',
      [ok, ok, { dimensions: { country: 'US' }, rate: '1' }],
      'input.entries.2.dimensions',
    ],
    ['a non-string value', [{ dimensions: { region: 1 }, rate: '1' }], 'input.entries.0.dimensions'],
    ['a negative rate', [{ dimensions: {}, rate: '-0.01' }], 'input.entries.0.rate'],
    ['a rate with 13 decimal places', [{ dimensions: {}, rate: '0.0000000000001' }], 'input.entries.0.rate'],
    [
      'a rate with 19 integer digits',
      [{ dimensions: {}, rate: '1000000000000000000' }],
      'input.entries.0.rate',
    ],
    [
      'effectiveTo before effectiveFrom',
      [
        {
          dimensions: {},
          rate: '1',
          effectiveFrom: '2026-02-01T00:00:00Z',
          effectiveTo: '2026-01-01T00:00:00Z',
        },
      ],
      'input.entries.0.effectiveTo',
    ],
  ])('rejects %s with BAD_USER_INPUT naming the entry', async (_name, list, field) => {
    const sameKeyList = list.map((e, i) => (i === 1 ? { ...e, dimensions: { region: 'EU' } } : e));
    expectError(await t.gql(CREATE_RATE_CARD, entries(sameKeyList)), 'BAD_USER_INPUT', field);
  });

  it('rejects a rate that is not a decimal string at the scalar', async () => {
    const result = await t.gql(CREATE_RATE_CARD, entries([{ dimensions: {}, rate: 'ten' }]));
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].message).toContain('Decimal');
  });

  it('rejects an unknown meter code with NOT_FOUND naming the field', async () => {
    const result = await t.gql(CREATE_RATE_CARD, { input: { meterCode: 'NOPE', name: 'x', entries: [] } });
    expectError(result, 'NOT_FOUND', 'input.meterCode');
  });

  it('rejects two entries with the same dimensions and overlapping dates, naming both', async () => {
    const result = await t.gql(
      CREATE_RATE_CARD,
      entries([
        {
          dimensions: { region: 'US' },
          rate: '1',
          effectiveFrom: '2026-01-01T00:00:00Z',
          effectiveTo: '2026-06-01T00:00:00Z',
        },
        { dimensions: { region: 'EU' }, rate: '1' },
        { dimensions: { region: 'US' }, rate: '2', effectiveFrom: '2026-05-01T00:00:00Z' },
      ]),
    );
    expectError(result, 'BAD_USER_INPUT', 'input.entries.2.dimensions');
    expect(result.errors?.[0].message).toContain('input.entries.2 {region=US}');
    expect(result.errors?.[0].message).toContain('input.entries.0 {region=US}');
    expect(result.errors?.[0].message).toContain('overlap');
  });

  it('rejects ambiguous entries ({region:US} vs {call_outcome:resolved}), naming both', async () => {
    const result = await t.gql(
      CREATE_RATE_CARD,
      entries([
        { dimensions: {}, rate: '0.4' },
        { dimensions: { region: 'US' }, rate: '0.2' },
        { dimensions: { call_outcome: 'resolved' }, rate: '0.1' },
      ]),
    );
    expectError(result, 'BAD_USER_INPUT', 'input.entries.2.dimensions');
    const message = result.errors?.[0].message ?? '';
    expect(message).toContain('ambiguous');
    expect(message).toContain('input.entries.2 {call_outcome=resolved}');
    expect(message).toContain('input.entries.1 {region=US}');
    const count = await t.app.db.query("SELECT COUNT(*) AS n FROM rate_cards WHERE name = 'bad'");
    expect(Number(count[0].n)).toBe(0);
  });

  it('accepts that pair once the combined entry settles it', async () => {
    const { createRateCard } = await t.gqlOk<{ createRateCard: Card }>(
      CREATE_RATE_CARD,
      entries([
        { dimensions: { region: 'US' }, rate: '0.2' },
        { dimensions: { call_outcome: 'resolved' }, rate: '0.1' },
        { dimensions: { region: 'US', call_outcome: 'resolved' }, rate: '0.15' },
      ]),
    );
    expect(createRateCard.entries.map((e) => e.rate)).toEqual(['0.2', '0.1', '0.15']);
  });

  it('adds entries (a new rate version) and rejects additions that clash with stored ones', async () => {
    const { createRateCard } = await t.gqlOk<{ createRateCard: Card }>(CREATE_RATE_CARD, {
      input: {
        meterCode: 'TOKENS',
        name: 'token rates',
        entries: [{ dimensions: { model: 'gpt-4' }, rate: '0.03', effectiveTo: '2026-03-01T00:00:00Z' }],
      },
    });
    const added = await t.gqlOk<{ addRateCardEntries: { entries: Card['entries'] } }>(ADD_ENTRIES, {
      id: createRateCard.id,
      entries: [
        { dimensions: { model: 'gpt-4' }, rate: '0.02', effectiveFrom: '2026-03-01T00:00:00Z' },
        { dimensions: { model: 'gpt-3.5' }, rate: '0.002' },
      ],
    });
    expect(
      added.addRateCardEntries.entries.map((e) => [e.dimensionKey, e.rate, e.effectiveFrom, e.effectiveTo]),
    ).toEqual([
      ['model=gpt-4', '0.03', '1970-01-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
      ['model=gpt-4', '0.02', '2026-03-01T00:00:00.000Z', null],
      ['model=gpt-3.5', '0.002', '1970-01-01T00:00:00.000Z', null],
    ]);

    const clash = await t.gql(ADD_ENTRIES, {
      id: createRateCard.id,
      entries: [{ dimensions: { model: 'gpt-3.5' }, rate: '0.001', effectiveFrom: '2026-06-01T00:00:00Z' }],
    });
    expectError(clash, 'BAD_USER_INPUT', 'entries.0.dimensions');
    expect(clash.errors?.[0].message).toMatch(/existing entry rce_\w+ \{model=gpt-3\.5\}/);

    const badKey = await t.gql(ADD_ENTRIES, {
      id: createRateCard.id,
      entries: [{ dimensions: { region: 'US' }, rate: '1' }],
    });
    expectError(badKey, 'BAD_USER_INPUT', 'entries.0.dimensions');
    const rows = await t.app.db.query('SELECT COUNT(*) AS n FROM rate_card_entries WHERE rate_card_id = ?', [
      createRateCard.id,
    ]);
    expect(Number(rows[0].n)).toBe(3);
  });

  it('lists rate cards of a meter and exposes them on Meter.rateCards', async () => {
    const list = await t.gqlOk<{ rateCards: { nodes: Array<{ name: string }> } }>(
      '{ rateCards(meterCode: "TOKENS") { nodes { name } } }',
    );
    expect(list.rateCards.nodes).toEqual([{ name: 'token rates' }]);
    const meter = await t.gqlOk<{ meterByCode: { rateCards: Array<{ name: string; entries: unknown[] }> } }>(
      '{ meterByCode(code: "AI_CALL") { rateCards { name entries { rate } } } }',
    );
    expect(meter.meterByCode.rateCards.map((c) => [c.name, c.entries.length])).toEqual([
      ['AI call rates', 4],
      ['bad', 3],
    ]);
  });
});

describe('catalog: pricing and plans', () => {
  let t: TestApp;
  let rateCardId: string;
  let otherRateCardId: string;
  beforeAll(async () => {
    t = await TestApp.start({ databaseSuffix: 'pricing' });
    await t.gqlOk(CREATE_METER, { input: aiCallMeter() });
    await t.gqlOk(CREATE_METER, { input: aiCallMeter({ code: 'TOKENS', groupKeys: ['model'] }) });
    const card = await t.gqlOk<{ createRateCard: { id: string } }>(CREATE_RATE_CARD, {
      input: {
        meterCode: 'AI_CALL',
        name: 'rates',
        entries: [{ dimensions: { region: 'US' }, rate: '0.2' }],
      },
    });
    rateCardId = card.createRateCard.id;
    const other = await t.gqlOk<{ createRateCard: { id: string } }>(CREATE_RATE_CARD, {
      input: { meterCode: 'TOKENS', name: 'tokens', entries: [] },
    });
    otherRateCardId = other.createRateCard.id;
  });
  afterAll(() => t.stop());

  const usage = (overrides: Record<string, unknown> = {}) => ({
    input: {
      name: 'AI Call Pricing',
      meterCode: 'AI_CALL',
      model: 'PER_UNIT',
      fallbackRate: '0.40',
      ...overrides,
    },
  });

  it('creates a per-unit pricing with a rate card and a default unit size of 1', async () => {
    const { createPricing } = await t.gqlOk<{ createPricing: Record<string, unknown> }>(
      CREATE_PRICING,
      usage({ rateCardId }),
    );
    expect(createPricing).toEqual({
      id: expect.stringMatching(/^prc_/),
      name: 'AI Call Pricing',
      kind: 'USAGE',
      model: 'PER_UNIT',
      unitSize: '1',
      fallbackRate: '0.4',
      flatAmount: null,
      meter: { code: 'AI_CALL' },
      rateCard: { id: rateCardId },
      tiers: null,
    });
  });

  it('creates graduated tiers and a package pricing', async () => {
    const { createPricing } = await t.gqlOk<{ createPricing: Record<string, unknown> }>(CREATE_PRICING, {
      input: {
        name: 'Tokens',
        meterCode: 'TOKENS',
        model: 'GRADUATED',
        unitSize: '1000',
        fallbackRate: '0',
        tiers: [
          { upTo: '1000000', unitAmount: '0.002', flatAmount: '5' },
          { upTo: null, unitAmount: '0.0015' },
        ],
      },
    });
    expect(createPricing).toMatchObject({
      model: 'GRADUATED',
      unitSize: '1000',
      tiers: [
        { upTo: '1000000', unitAmount: '0.002', flatAmount: '5' },
        { upTo: null, unitAmount: '0.0015', flatAmount: '0' },
      ],
    });
    const pkg = await t.gqlOk<{ createPricing: Record<string, unknown> }>(
      CREATE_PRICING,
      usage({ name: 'Per 100 minutes', model: 'PACKAGE', unitSize: '100', fallbackRate: '15' }),
    );
    expect(pkg.createPricing).toMatchObject({
      model: 'PACKAGE',
      unitSize: '100',
      fallbackRate: '15',
      tiers: null,
    });
  });

  it.each([
    ['an empty name', { name: ' ' }, 'input.name'],
    ['a zero unit size', { unitSize: '0' }, 'input.unitSize'],
    ['a negative fallback rate', { fallbackRate: '-1' }, 'input.fallbackRate'],
    ['tiers on a per-unit pricing', { tiers: [{ upTo: null, unitAmount: '1' }] }, 'input.tiers'],
    ['graduated without tiers', { model: 'GRADUATED' }, 'input.tiers'],
    [
      'tiers out of order',
      {
        model: 'VOLUME',
        tiers: [
          { upTo: '100', unitAmount: '1' },
          { upTo: '50', unitAmount: '1' },
          { upTo: null, unitAmount: '1' },
        ],
      },
      'input.tiers.1.upTo',
    ],
    [
      'a bounded last tier',
      { model: 'VOLUME', tiers: [{ upTo: '100', unitAmount: '1' }] },
      'input.tiers.0.upTo',
    ],
    [
      'an open tier before the last',
      {
        model: 'VOLUME',
        tiers: [
          { upTo: null, unitAmount: '1' },
          { upTo: null, unitAmount: '1' },
        ],
      },
      'input.tiers.0.upTo',
    ],
    [
      'a negative tier amount',
      { model: 'VOLUME', tiers: [{ upTo: null, unitAmount: '-1' }] },
      'input.tiers.0.unitAmount',
    ],
  ])('rejects %s with BAD_USER_INPUT', async (_name, overrides, field) => {
    expectError(await t.gql(CREATE_PRICING, usage(overrides)), 'BAD_USER_INPUT', field);
  });

  it('rejects a rate card of another meter, and an unknown meter or card', async () => {
    expectError(
      await t.gql(CREATE_PRICING, usage({ rateCardId: otherRateCardId })),
      'BAD_USER_INPUT',
      'input.rateCardId',
    );
    expectError(
      await t.gql(CREATE_PRICING, usage({ rateCardId: 'rc_missing' })),
      'NOT_FOUND',
      'input.rateCardId',
    );
    expectError(await t.gql(CREATE_PRICING, usage({ meterCode: 'NOPE' })), 'NOT_FOUND', 'input.meterCode');
  });

  it('creates a flat fee and rejects a negative amount', async () => {
    const { createFlatFee } = await t.gqlOk<{ createFlatFee: Record<string, unknown> }>(
      'mutation { createFlatFee(input: { name: "Platform fee", amount: "99.00" }) { kind model flatAmount meter { code } unitSize } }',
    );
    expect(createFlatFee).toEqual({
      kind: 'FLAT_FEE',
      model: null,
      flatAmount: '99',
      meter: null,
      unitSize: '1',
    });
    expectError(
      await t.gql('mutation { createFlatFee(input: { name: "x", amount: "-1" }) { id } }'),
      'BAD_USER_INPUT',
      'input.amount',
    );
  });

  it('creates a plan with a usage pricing and a flat fee, with defaults', async () => {
    const pricing = await t.gqlOk<{ createPricing: { id: string } }>(
      CREATE_PRICING,
      usage({ rateCardId, name: 'Plan pricing' }),
    );
    const fee = await t.gqlOk<{ createFlatFee: { id: string } }>(
      'mutation { createFlatFee(input: { name: "Seat", amount: "10" }) { id } }',
    );
    const { createPlan } = await t.gqlOk<{ createPlan: Record<string, unknown> }>(CREATE_PLAN, {
      input: {
        name: 'AI Call Center',
        currency: 'USD',
        autoPay: true,
        items: [{ pricingId: pricing.createPricing.id }, { pricingId: fee.createFlatFee.id, quantity: '5' }],
      },
    });
    expect(createPlan).toEqual({
      id: expect.stringMatching(/^plan_/),
      name: 'AI Call Center',
      description: null,
      currency: 'USD',
      netTermsDays: 0,
      autoPay: true,
      billingCycle: 'MONTHLY',
      isPublic: false,
      items: [
        {
          quantity: '1',
          pricing: {
            id: pricing.createPricing.id,
            name: 'Plan pricing',
            kind: 'USAGE',
            meter: { code: 'AI_CALL' },
          },
        },
        { quantity: '5', pricing: { id: fee.createFlatFee.id, name: 'Seat', kind: 'FLAT_FEE', meter: null } },
      ],
    });
    const read = await t.gqlOk<{
      plan: { items: Array<{ pricing: { rateCard: { entries: Array<{ rate: string }> } | null } }> };
    }>('query($id: ID!) { plan(id: $id) { items { pricing { rateCard { entries { rate } } } } } }', {
      id: createPlan.id,
    });
    expect(read.plan.items.map((i) => i.pricing.rateCard?.entries.map((e) => e.rate) ?? null)).toEqual([
      ['0.2'],
      null,
    ]);
  });

  it('rejects bad plans with the right code and field, writing nothing', async () => {
    const a = await t.gqlOk<{ createPricing: { id: string } }>(CREATE_PRICING, usage({ name: 'A' }));
    const b = await t.gqlOk<{ createPricing: { id: string } }>(CREATE_PRICING, usage({ name: 'B' }));
    const plan = (overrides: Record<string, unknown>) => ({
      input: { name: 'Bad plan', currency: 'USD', items: [{ pricingId: a.createPricing.id }], ...overrides },
    });
    expectError(await t.gql(CREATE_PLAN, plan({ currency: 'usd' })), 'BAD_USER_INPUT', 'input.currency');
    expectError(await t.gql(CREATE_PLAN, plan({ currency: 'XYZ' })), 'BAD_USER_INPUT', 'input.currency');
    expectError(await t.gql(CREATE_PLAN, plan({ netTermsDays: -1 })), 'BAD_USER_INPUT', 'input.netTermsDays');
    expectError(await t.gql(CREATE_PLAN, plan({ items: [] })), 'BAD_USER_INPUT', 'input.items');
    expectError(
      await t.gql(
        CREATE_PLAN,
        plan({ items: [{ pricingId: a.createPricing.id }, { pricingId: b.createPricing.id }] }),
      ),
      'BAD_USER_INPUT',
      'input.items.1.pricingId',
    );
    expectError(
      await t.gql(CREATE_PLAN, plan({ items: [{ pricingId: a.createPricing.id, quantity: '2' }] })),
      'BAD_USER_INPUT',
      'input.items.0.quantity',
    );
    expectError(
      await t.gql(
        CREATE_PLAN,
        plan({ items: [{ pricingId: a.createPricing.id }, { pricingId: 'prc_missing' }] }),
      ),
      'NOT_FOUND',
      'input.items.1.pricingId',
    );
    const rows = await t.app.db.query("SELECT COUNT(*) AS n FROM plans WHERE name = 'Bad plan'");
    expect(Number(rows[0].n)).toBe(0);
  });

  it('paginates pricings and plans', async () => {
    const first = await t.gqlOk<{
      pricings: { nodes: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    }>('{ pricings(first: 3) { nodes { id } pageInfo { hasNextPage endCursor } } }');
    expect(first.pricings.nodes).toHaveLength(3);
    expect(first.pricings.pageInfo.hasNextPage).toBe(true);
    const total = await t.app.db.query('SELECT COUNT(*) AS n FROM pricings');
    const rest = await t.gqlOk<{ pricings: { nodes: unknown[]; pageInfo: { hasNextPage: boolean } } }>(
      'query($after: String) { pricings(first: 100, after: $after) { nodes { id } pageInfo { hasNextPage } } }',
      { after: first.pricings.pageInfo.endCursor },
    );
    expect(rest.pricings.nodes).toHaveLength(Number(total[0].n) - 3);
    expect(rest.pricings.pageInfo.hasNextPage).toBe(false);
    const plans = await t.gqlOk<{ plans: { nodes: Array<{ name: string }> } }>(
      '{ plans { nodes { name } } }',
    );
    expect(plans.plans.nodes).toEqual([{ name: 'AI Call Center' }]);
  });
});

describe('catalog: environment isolation', () => {
  let t: TestApp;
  let other: { apiKey: string };
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await TestApp.start({ databaseSuffix: 'isolation' });
    const meter = await t.gqlOk<{ createMeter: { id: string } }>(CREATE_METER, { input: aiCallMeter() });
    ids.meter = meter.createMeter.id;
    const card = await t.gqlOk<{ createRateCard: { id: string } }>(CREATE_RATE_CARD, {
      input: { meterCode: 'AI_CALL', name: 'rates', entries: [{ dimensions: {}, rate: '1' }] },
    });
    ids.rateCard = card.createRateCard.id;
    const pricing = await t.gqlOk<{ createPricing: { id: string } }>(CREATE_PRICING, {
      input: {
        name: 'p',
        meterCode: 'AI_CALL',
        model: 'PER_UNIT',
        fallbackRate: '1',
        rateCardId: ids.rateCard,
      },
    });
    ids.pricing = pricing.createPricing.id;
    const plan = await t.gqlOk<{ createPlan: { id: string } }>(CREATE_PLAN, {
      input: { name: 'plan', currency: 'EUR', items: [{ pricingId: ids.pricing }] },
    });
    ids.plan = plan.createPlan.id;
    other = await t.newOrganization();
  });
  afterAll(() => t.stop());

  it.each([
    ['meter', 'query($id: ID!) { meter(id: $id) { id } }', 'meter'],
    ['rateCard', 'query($id: ID!) { rateCard(id: $id) { id } }', 'rateCard'],
    ['pricing', 'query($id: ID!) { pricing(id: $id) { id } }', 'pricing'],
    ['plan', 'query($id: ID!) { plan(id: $id) { id } }', 'plan'],
  ])("cannot read another organization's %s by id (NOT_FOUND)", async (_name, query, key) => {
    expectError(await t.gql(query, { id: ids[key] }, other.apiKey), 'NOT_FOUND');
    // The owner still can: the id is right, only the environment differs.
    expect((await t.gql(query, { id: ids[key] })).errors).toBeUndefined();
  });

  it('cannot find it by code, list it, or build on it from another organization', async () => {
    expectError(await t.gql('{ meterByCode(code: "AI_CALL") { id } }', {}, other.apiKey), 'NOT_FOUND');
    const lists = await t.gqlOk<{
      meters: { nodes: unknown[] };
      pricings: { nodes: unknown[] };
      plans: { nodes: unknown[] };
    }>('{ meters { nodes { id } } pricings { nodes { id } } plans { nodes { id } } }', {}, other.apiKey);
    expect(lists).toEqual({ meters: { nodes: [] }, pricings: { nodes: [] }, plans: { nodes: [] } });
    expectError(
      await t.gql(
        ADD_ENTRIES,
        { id: ids.rateCard, entries: [{ dimensions: { region: 'US' }, rate: '1' }] },
        other.apiKey,
      ),
      'NOT_FOUND',
    );
    expectError(
      await t.gql(
        CREATE_PLAN,
        { input: { name: 'steal', currency: 'USD', items: [{ pricingId: ids.pricing }] } },
        other.apiKey,
      ),
      'NOT_FOUND',
      'input.items.0.pricingId',
    );
    // The other organization may use the same meter code in its own environment.
    await t.gqlOk(CREATE_METER, { input: aiCallMeter() }, other.apiKey);
    const stored = await t.app.db.query(
      'SELECT COUNT(*) AS n FROM rate_card_entries WHERE rate_card_id = ?',
      [ids.rateCard],
    );
    expect(Number(stored[0].n)).toBe(1);
  });
});
