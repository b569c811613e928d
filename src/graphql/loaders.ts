import DataLoader from 'dataloader';
import { In, type EntityTarget, type ObjectLiteral } from 'typeorm';
import type { RequestContext } from '../context';

/**
 * One set of DataLoaders per request. `byId` batches lookups of any environment-scoped entity;
 * `group` batches one-to-many lookups (e.g. plan items by plan id) under a name.
 * Every batch is scoped by the caller's environment, so a loader can never leak another's row.
 */
export class Loaders {
  private readonly loaders = new Map<unknown, DataLoader<string, unknown>>();

  constructor(private readonly ctx: RequestContext) {}

  byId<T extends ObjectLiteral & { id: string }>(entity: EntityTarget<T>): DataLoader<string, T | null> {
    return this.memo(
      entity,
      () =>
        new DataLoader<string, T | null>(async (ids) => {
          const rows = await this.ctx
            .repo(entity)
            .find({ where: { id: In([...ids]), environmentId: this.ctx.environmentId } as never });
          const byId = new Map(rows.map((row) => [row.id, row]));
          return ids.map((id) => byId.get(id) ?? null);
        }),
    );
  }

  /** Rows of `entity` whose `column` equals each key, in `orderBy` order. */
  group<T extends ObjectLiteral>(
    entity: EntityTarget<T>,
    column: keyof T & string,
    orderBy: keyof T & string = 'id' as keyof T & string,
  ): DataLoader<string, T[]> {
    return this.memo(
      `${(entity as { name?: string }).name}:${column}:${orderBy}`,
      () =>
        new DataLoader<string, T[]>(async (keys) => {
          const rows = await this.ctx.repo(entity).find({
            where: { [column]: In([...keys]), environmentId: this.ctx.environmentId } as never,
            order: { [orderBy]: 'ASC' } as never,
          });
          const grouped = new Map<string, T[]>(keys.map((key) => [key, []]));
          for (const row of rows) grouped.get(row[column] as string)?.push(row);
          return keys.map((key) => grouped.get(key) ?? []);
        }),
    );
  }

  /** A custom loader, created once per request under `name`. */
  custom<K, V>(name: string, batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
    return this.memo(name, () => new DataLoader<K, V>(batch)) as unknown as DataLoader<K, V>;
  }

  private memo<L>(key: unknown, create: () => L): L {
    let loader = this.loaders.get(key) as L | undefined;
    if (!loader) {
      loader = create();
      this.loaders.set(key, loader as DataLoader<string, unknown>);
    }
    return loader;
  }
}
