export * from './common.schema';
export * from './field.schema';
export * from './action.schema';
export * from './connector.schema';
export * from './state.schema';
export * from './transition.schema';
export * from './rule.schema';
export * from './flow.schema';
