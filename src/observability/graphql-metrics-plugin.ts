import type { ApolloServerPlugin } from '@apollo/server';
import type { AppMetrics } from './metrics';

/**
 * Times each GraphQL operation over HTTP, from Apollo receiving it to the response, labelled by operation
 * name (bounded, see AppMetrics.operationLabel), type (query, mutation; "unknown" when it never parsed)
 * and outcome ("error" when the response carries errors).
 */
export function graphqlMetricsPlugin<T extends object>(metrics: AppMetrics): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ request, operation, operationName, response }) {
          const body = response.body;
          const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          metrics.graphqlDuration.observe(
            {
              operation: metrics.operationLabel(operationName ?? request.operationName),
              type: operation?.operation ?? 'unknown',
              outcome: errors?.length ? 'error' : 'ok',
            },
            seconds,
          );
        },
      };
    },
  };
}
