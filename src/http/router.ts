import type { IncomingMessage, ServerResponse } from 'node:http';

export type RouteHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  params: Record<string, string>,
  url: URL,
) => Promise<void>;

interface Route {
  method: string;
  /** The pattern as registered (`/v1/invoices/:id.pdf`): a bounded label for metrics. */
  path: string;
  pattern: RegExp;
  keys: string[];
  handler: RouteHandler;
}

/** A tiny method + path router: `/v1/invoices/:id.pdf` style patterns, nothing more. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, path: string, handler: RouteHandler): this {
    const keys: string[] = [];
    const source = path
      .split('/')
      .map((part) =>
        part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:([a-zA-Z]+)/g, (_, key: string) => {
          keys.push(key);
          return '([^/]+?)';
        }),
      )
      .join('/');
    this.routes.push({ method, path, pattern: new RegExp(`^${source}/?$`), keys, handler });
    return this;
  }

  /** Finds the handler for a request; `null` when no path matches, `'method'` when only the method is wrong. */
  match(
    method: string,
    pathname: string,
  ): { handler: RouteHandler; params: Record<string, string>; path: string } | null | 'method' {
    let pathMatched = false;
    for (const route of this.routes) {
      const found = route.pattern.exec(pathname);
      if (!found) continue;
      pathMatched = true;
      if (route.method !== method && !(route.method === 'GET' && method === 'HEAD')) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((key, i) => (params[key] = decodeURIComponent(found[i + 1])));
      return { handler: route.handler, params, path: route.path };
    }
    return pathMatched ? 'method' : null;
  }
}
