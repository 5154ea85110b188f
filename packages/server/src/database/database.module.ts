import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { Db } from './db';

/** Injection token of the {@link Db}. */
export const DB = Symbol('DB');

/** Provides the opened database (migrations already run) to every module. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(db: Db): DynamicModule {
    return { module: DatabaseModule, providers: [{ provide: DB, useValue: db }], exports: [DB] };
  }
}
