export * from './schedules';
export * from './systems';
export * from './exceptions';
