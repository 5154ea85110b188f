export * from './order';
export * from './effect';
