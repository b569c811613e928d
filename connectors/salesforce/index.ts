/** The Salesforce connector's public surface. This folder is the only place that imports jsforce. */
export * from './client';
export * from './errors';
export * from './mapper';
export * from './objects';
export * from './push';
export * from './soql';
