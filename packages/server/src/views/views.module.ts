import { Module } from '@nestjs/common';
import { ViewsController } from './views.controller';
import { ViewsRepository } from './views.repository';

@Module({ controllers: [ViewsController], providers: [ViewsRepository] })
export class ViewsModule {}
