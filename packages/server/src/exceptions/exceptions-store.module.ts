import { Module } from '@nestjs/common';
import { ExceptionsRepository } from './exceptions.repository';

/**
 * The exceptions table alone. Tasks settle an exception when their task is done, and the
 * ExceptionRouter opens tasks for exceptions: with the repository in ExceptionsModule the two
 * modules would import each other, so both import this one instead.
 */
@Module({ providers: [ExceptionsRepository], exports: [ExceptionsRepository] })
export class ExceptionsStoreModule {}
