/** The catalog, read-only: meters, pricings and plans. */

export const CATALOG = /* GraphQL */ `
  query ConsoleCatalog {
    meters(first: 20) {
      nodes {
        id
        code
        displayName
        eventName
        aggregation
        aggregationKey
        groupKeys
        rateCards {
          id
          name
          entries {
            id
            dimensions
            rate
            effectiveFrom
            effectiveTo
          }
        }
      }
    }
    pricings(first: 50) {
      nodes {
        id
        name
        kind
        model
        unitSize
        fallbackRate
        flatAmount
        freeUnits
        percent
        feePerTransaction
        tierScope
        tiers {
          upTo
          unitAmount
          flatAmount
          packageSize
        }
        meter {
          code
        }
        rateCard {
          id
          name
        }
      }
    }
    plans(first: 50) {
      nodes {
        id
        name
        description
        currency
        billingCycle
        netTermsDays
        isPublic
        items {
          id
          quantity
          pricing {
            id
            name
          }
        }
      }
    }
  }
`;
