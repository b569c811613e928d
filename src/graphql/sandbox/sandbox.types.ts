import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { EnvironmentEntity } from '../../entities/environment.entity';
import { Environment } from '../api-key/api-key.types';

@ObjectType('SandboxCatalogCopy', { description: 'What was copied into the sandbox.' })
export class SandboxCatalogCopy {
  @Field(() => Int) meters!: number;
  @Field(() => Int) rateCards!: number;
  @Field(() => Int) rateCardEntries!: number;
  @Field(() => Int) pricings!: number;
  @Field(() => Int) plans!: number;
  @Field(() => Int) planItems!: number;
}

@ObjectType('CreatedSandbox')
export class CreatedSandbox {
  @Field(() => Environment) environment!: EnvironmentEntity;
  @Field({ description: "The sandbox's API key. Shown only here, once; it works in the sandbox only." })
  apiKey!: string;
  @Field(() => SandboxCatalogCopy) cloned!: SandboxCatalogCopy;
  @Field(() => Int, { description: 'Milliseconds the catalog copy took.' }) cloneMs!: number;
}

@ObjectType('DeletedSandbox')
export class DeletedSandbox {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => Int, { description: 'Rows removed across every environment-scoped table.' })
  deletedRows!: number;
}
