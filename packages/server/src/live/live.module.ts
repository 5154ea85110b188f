import { Module } from '@nestjs/common';
import { FlowsModule } from '../flows/flows.module';
import { LiveAccess } from './live-access';
import { LiveGateway } from './live.gateway';

/** Live events over socket.io (`/live`). Needs DomainEvents and a LIVE_AUTHENTICATOR provider. */
@Module({ imports: [FlowsModule], providers: [LiveGateway, LiveAccess] })
export class LiveModule {}
