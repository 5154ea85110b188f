import { Module } from '@nestjs/common';
import { LiveGateway } from './live.gateway';

/** Live events over socket.io (`/live`). Needs DomainEvents and a LIVE_AUTHENTICATOR provider. */
@Module({ providers: [LiveGateway] })
export class LiveModule {}
