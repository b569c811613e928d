/** The signed-in key's environment and the environments it can switch to. */

export const CURRENT_ENVIRONMENT = /* GraphQL */ `
  query ConsoleCurrentEnvironment {
    currentEnvironment {
      id
      name
      kind
    }
  }
`;

export const ENVIRONMENTS = /* GraphQL */ `
  query ConsoleEnvironments {
    environments {
      id
      name
      kind
    }
  }
`;
