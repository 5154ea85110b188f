import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { ExceptionsModule } from '../exceptions/exceptions.module';
import { FlowsModule } from '../flows/flows.module';
import { OrdersModule } from '../orders/orders.module';
import { HooksController } from './hooks.controller';
import { HooksService } from './hooks.service';

/** Inbound hooks: signed calls from other systems that start or move orders. */
@Module({
  imports: [FlowsModule, OrdersModule, CredentialsModule, ExceptionsModule],
  controllers: [HooksController],
  providers: [HooksService],
  exports: [HooksService],
})
export class HooksModule {}
