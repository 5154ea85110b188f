import { Module } from '@nestjs/common';
import { StateChangeFeed } from './state-change-feed';

/**
 * One StateChangeFeed per application: the orders write by it and the webhook API refreshes
 * it when subscriptions change.
 */
@Module({ providers: [StateChangeFeed], exports: [StateChangeFeed] })
export class StateChangeFeedModule {}
